package dev.opsflow.redis.cloud.testing;

import dev.opsflow.redis.cloud.testing.CloudState.Sub;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The VPC peering routes of a Pro subscription. Listing is itself a task whose {@code
 * response.resource.peerings} holds the list, as in the API; a new AWS peering is {@code
 * pending-acceptance}.
 */
final class PeeringRoutes {
  private final CloudState state;

  PeeringRoutes(CloudState state) {
    this.state = state;
  }

  SimResponse list(Sub s) {
    SimTask task =
        state.newTask(
            "vpcPeeringGetRequest",
            Duration.ofSeconds(2),
            (at, self) -> {
              ObjectNode resource = CloudState.F.objectNode();
              ArrayNode list = resource.putArray("peerings");
              s.peerings.values().forEach(list::add);
              self.resource = resource;
              return null;
            },
            null,
            null);
    return SimResponse.accepted(task, state.now());
  }

  SimResponse create(Sub s, JsonNode body) {
    if (body == null || !body.isObject()) {
      return SimResponse.error(400, "BAD_REQUEST", "a JSON object is required");
    }
    boolean gcp = "GCP".equals(body.path("provider").asString(s.provider));
    List<String> required =
        gcp
            ? List.of("vpcProjectUid", "vpcNetworkName")
            : List.of("region", "awsAccountId", "vpcId");
    for (String field : required) {
      if (!body.hasNonNull(field)) {
        return SimResponse.error(400, "BAD_REQUEST", field + " is required");
      }
    }
    String vpc = gcp ? body.get("vpcNetworkName").asString() : body.get("vpcId").asString();
    String cidr = body.path("vpcCidr").asString(null);
    SimTask.ErrorSpec error = null;
    if (!gcp && cidr == null && !body.has("vpcCidrs")) {
      error = CloudApi.taskError("VPC_PEERING_CIDR_IS_MISSING", "vpcCidr or vpcCidrs is required");
    } else if (cidr != null && !Validation.isCidr(cidr)) {
      error = CloudApi.taskError("VPC_PEERING_INVALID_CIDR", "'" + cidr + "' is not a valid CIDR");
    } else if (s.peerings.values().stream()
        .anyMatch(p -> vpc.equals(p.path("vpcUid").asString(p.path("networkName").asString())))) {
      error = CloudApi.taskError("VPC_PEERING_ALREADY_EXIST", "A peering to " + vpc + " exists");
    }
    long id = state.nextId();
    SimTask task =
        state.newTask(
            "vpcPeeringCreateRequest",
            state.settings.databaseTask(),
            (at, self) -> {
              ObjectNode p = CloudState.F.objectNode();
              p.put("vpcPeeringId", id);
              p.put("status", "pending-acceptance");
              if (gcp) {
                p.put("projectUid", body.get("vpcProjectUid").asString());
                p.put("networkName", vpc);
              } else {
                p.put("awsAccountId", body.get("awsAccountId").asString());
                p.put("vpcUid", vpc);
                p.put("region", body.get("region").asString());
                p.put("vpcCidr", cidr);
              }
              s.peerings.put(id, p);
              return id;
            },
            error,
            null);
    return SimResponse.accepted(task, state.now());
  }

  SimResponse delete(Sub s, String peeringId) {
    long id = Long.parseLong(peeringId);
    if (!s.peerings.containsKey(id)) {
      return SimResponse.error(404, "VPC_PEERING_NOT_FOUND", "Peering " + id + " not found");
    }
    SimTask task =
        state.newTask(
            "vpcPeeringDeleteRequest",
            state.settings.databaseTask(),
            (at, self) -> {
              s.peerings.remove(id);
              return id;
            },
            null,
            id);
    return SimResponse.accepted(task, state.now());
  }
}
