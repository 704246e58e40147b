package dev.opsflow.redis.cloud.testing;

import dev.opsflow.redis.cloud.testing.CloudState.Db;
import dev.opsflow.redis.cloud.testing.CloudState.RegionInfo;
import dev.opsflow.redis.cloud.testing.CloudState.Sub;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fields of the simulator's subscriptions and databases beyond the ones it acts on, as the API
 * serves them (the examples of Redis Cloud's published OpenAPI description): pricing, cloud
 * details, plan features, clustering, persistence, eviction, modules, alerts, links. A value the
 * request set wins over the default. Called with the state's lock held.
 */
final class CloudObjects {
  private CloudObjects() {}

  /** A {@code links} array with the resource's self link, as every API object has. */
  static void self(ObjectNode node, String path) {
    node.putArray("links")
        .addObject()
        .put("rel", "self")
        .put("href", "/v1" + path)
        .put("type", "GET");
  }

  static void pro(ObjectNode n, Sub s) {
    n.put("storageEncryption", false);
    ArrayNode pricing = n.putArray("subscriptionPricing");
    pricing
        .addObject()
        .put("type", "Shards")
        .put("typeDetails", "high-throughput")
        .put("quantity", Math.max(1, s.databases.size()))
        .put("quantityMeasurement", "shards")
        .put("pricePerUnit", 0.124)
        .put("priceCurrency", "USD")
        .put("pricePeriod", "hour");
    for (JsonNode cloud : n.path("cloudDetails")) {
      ObjectNode c = (ObjectNode) cloud;
      c.put("totalSizeInGb", s.databases.size() * 1.0);
      int i = 0;
      for (JsonNode region : c.path("regions")) {
        RegionInfo info = s.regions.get(Math.min(i++, s.regions.size() - 1));
        ObjectNode r = (ObjectNode) region;
        r.putArray("preferredAvailabilityZones").add(info.region() + "a");
        r.put("multipleAvailabilityZones", false);
        for (JsonNode net : r.path("networking")) {
          ((ObjectNode) net).put("subnetId", String.format("subnet-%017x", s.id * 31 + i));
        }
      }
      c.putArray("links");
    }
    self(n, "/subscriptions/" + s.id);
  }

  static void fixed(ObjectNode n, Sub s) {
    boolean free = s.freePlan;
    if (s.paymentMethodId != null) {
      n.put("paymentMethodId", s.paymentMethodId);
      n.put("paymentMethodType", "credit-card");
    }
    n.put("size", free ? 30 : 250);
    n.put("sizeMeasurementUnit", "MB");
    n.put("pricePeriod", "Month");
    n.put("priceCurrency", "USD");
    n.put("maximumDatabases", 1);
    n.put("availability", "No replication");
    n.put("connections", free ? "30" : "256");
    n.put("cidrAllowRules", free ? 1 : 4);
    n.put("supportDataPersistence", !free);
    n.put("supportInstantAndDailyBackups", !free);
    n.put("supportReplication", !free);
    n.put("supportClustering", false);
    n.put("customerSupport", free ? "Basic" : "Standard");
    self(n, "/fixed/subscriptions/" + s.id);
  }

  static void database(ObjectNode n, Sub s, Db db, Instant now) {
    ObjectNode spec = db.spec;
    n.put("activatedOn", db.activeAt.toString());
    n.put("lastModified", db.activeAt.toString());
    n.put("memoryStorage", s.memoryStorage);
    n.put("memoryUsedInMb", now.isBefore(db.activeAt) ? 0 : 2);
    n.put("respVersion", spec.path("respVersion").asString("resp3"));
    n.put("dataPersistence", spec.path("dataPersistence").asString(s.fixed ? "none" : "none"));
    n.put("dataEvictionPolicy", spec.path("dataEvictionPolicy").asString("volatile-lru"));
    n.put("replication", spec.path("replication").asBoolean(!s.fixed));
    n.set("modules", spec.has("modules") ? spec.get("modules").deepCopy() : n.arrayNode());
    n.set("alerts", spec.has("alerts") ? spec.get("alerts").deepCopy() : n.arrayNode());
    ObjectNode clustering = n.putObject("clustering");
    if (s.fixed) {
      clustering.put("enabled", false);
    } else {
      clustering.put("numberOfShards", 1);
    }
    ArrayNode rules = clustering.putArray("regexRules");
    rules.addObject().put("ordinal", 0).put("pattern", ".*\\{(?<tag>.*)\\}.*");
    rules.addObject().put("ordinal", 1).put("pattern", "(?<tag>.*)");
    clustering.put("hashingPolicy", "standard");
    if (s.fixed) {
      n.put("planMemoryLimit", s.freePlan ? 30 : 250);
      n.put("memoryLimitMeasurementUnit", "MB");
      n.putObject("backup").put("remoteBackupEnabled", false);
      self(n, "/fixed/subscriptions/" + s.id + "/databases/" + db.id);
    } else {
      n.put("supportOSSClusterApi", spec.path("supportOSSClusterApi").asBoolean(false));
      n.put(
          "useExternalEndpointForOSSClusterApi",
          spec.path("useExternalEndpointForOSSClusterApi").asBoolean(false));
      if (!n.has("throughputMeasurement")) {
        n.putObject("throughputMeasurement").put("by", "operations-per-second").put("value", 25000);
      }
      ObjectNode replica = n.putObject("replica");
      replica.set(
          "syncSources",
          spec.path("replica").has("syncSources")
              ? spec.path("replica").get("syncSources").deepCopy()
              : n.arrayNode());
      self(n, "/subscriptions/" + s.id + "/databases/" + db.id);
    }
  }
}
