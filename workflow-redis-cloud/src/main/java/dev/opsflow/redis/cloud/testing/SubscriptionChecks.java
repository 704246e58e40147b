package dev.opsflow.redis.cloud.testing;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The checks of {@code POST /subscriptions}: schema (answered 400) and semantics (task error). */
final class SubscriptionChecks {
  private SubscriptionChecks() {}

  /** What breaks the request's schema, or null. */
  static String schemaProblem(JsonNode body) {
    if (body == null || !body.isObject()) {
      return "a JSON object is required";
    }
    for (String field : List.of("cloudProviders", "databases")) {
      if (!body.path(field).isArray()) {
        return field + " is required (an array)";
      }
    }
    for (JsonNode provider : body.get("cloudProviders")) {
      String name = provider.path("provider").asString("AWS");
      if (!name.equals("AWS") && !name.equals("GCP")) {
        return "provider must be AWS or GCP, was '" + name + "'";
      }
      if (!provider.path("regions").isArray()) {
        return "cloudProviders[].regions is required";
      }
      for (JsonNode region : provider.get("regions")) {
        if (!region.hasNonNull("region")) {
          return "cloudProviders[].regions[].region is required";
        }
      }
    }
    for (JsonNode db : body.get("databases")) {
      if (!db.hasNonNull("name") || !db.hasNonNull("protocol")) {
        return "databases[].name and databases[].protocol are required";
      }
      String bad = Validation.enumProblem(db, "protocol", List.of("redis", "memcached"));
      bad =
          bad != null ? bad : Validation.enumProblem(db, "dataPersistence", Validation.PERSISTENCE);
      if (bad != null) {
        return bad;
      }
      JsonNode t = db.get("throughputMeasurement");
      if (t != null && (!t.hasNonNull("by") || !t.hasNonNull("value"))) {
        return "throughputMeasurement needs by and value";
      }
    }
    String bad =
        Validation.enumProblem(body, "deploymentType", List.of("single-region", "active-active"));
    bad =
        bad != null
            ? bad
            : Validation.enumProblem(body, "paymentMethod", List.of("credit-card", "marketplace"));
    return bad != null
        ? bad
        : Validation.enumProblem(body, "memoryStorage", List.of("ram", "ram-and-flash"));
  }

  /** The API's error code and description for a request it would refuse, or null. */
  static String[] semanticProblem(JsonNode body, long pendingSubscriptions) {
    JsonNode dbs = body.get("databases");
    if (dbs.isEmpty()) {
      return new String[] {
        "SUBSCRIPTION_MUST_HAVE_AT_LEAST_ONE_DATABASE",
        "A subscription must have at least one database"
      };
    }
    boolean aa = "active-active".equals(body.path("deploymentType").asString());
    var cidrs = new ArrayList<String>();
    var regionNames = new ArrayList<String>();
    for (JsonNode provider : body.get("cloudProviders")) {
      boolean gcp = "GCP".equals(provider.path("provider").asString("AWS"));
      List<String> known = gcp ? CloudApi.REGIONS_GCP : CloudApi.REGIONS_AWS;
      for (JsonNode region : provider.get("regions")) {
        String name = region.get("region").asString();
        if (!known.contains(name)) {
          return new String[] {
            "SUBSCRIPTION_INVALID_REGION_NAME", "Region '" + name + "' is not supported"
          };
        }
        regionNames.add(name);
        JsonNode cidr = region.path("networking").get("deploymentCIDR");
        if (cidr != null && !Validation.isSlash24(cidr.asString())) {
          return new String[] {
            "SUBSCRIPTION_INVALID_CIDR",
            "Deployment CIDR '" + cidr.asString() + "' is not a valid /24"
          };
        }
        if (cidr != null) {
          cidrs.add(cidr.asString());
        }
      }
    }
    if (!aa && regionNames.size() > 1) {
      return new String[] {
        "SINGLE_REGION_SUBSCRIPTION_MUST_DEFINE_ONLY_ONE_REGION",
        "A single-region subscription must define exactly one region"
      };
    }
    if (aa) {
      if (!CloudApi.distinct(regionNames)) {
        return new String[] {
          "ACTIVE_ACTIVE_REGIONS_MUST_BE_DEFINED_ONCE", "Each region may appear once"
        };
      }
      for (int i = 0; i < cidrs.size(); i++) {
        for (int j = i + 1; j < cidrs.size(); j++) {
          if (Validation.overlap(cidrs.get(i), cidrs.get(j))) {
            return new String[] {
              "ACTIVE_ACTIVE_DATABASE_INVALID_CIDR_OVERLAPPING_OTHER_REGIONS",
              "CIDRs " + cidrs.get(i) + " and " + cidrs.get(j) + " overlap"
            };
          }
        }
      }
      for (JsonNode db : dbs) {
        if (db.path("localThroughputMeasurement").size() != regionNames.size()) {
          return new String[] {
            "ACTIVE_ACTIVE_MISSING_LOCAL_THROUGHPUT_MEASUREMENT",
            "Database '" + db.path("name").asString() + "' needs a local throughput for each region"
          };
        }
      }
    }
    var names = new ArrayList<String>();
    for (JsonNode db : dbs) {
      String name = db.get("name").asString();
      if (!Validation.NAME.matcher(name).matches()) {
        return new String[] {"DATABASE_INVALID_NAME", "Database name '" + name + "' is invalid"};
      }
      names.add(name);
    }
    if (!CloudApi.distinct(names)) {
      return new String[] {"DATABASE_NAME_DUPLICATE", "Database names must be unique"};
    }
    boolean marketplace = "marketplace".equals(body.path("paymentMethod").asString());
    if (!marketplace && body.path("paymentMethodId").asLong(-1) != CloudApi.PAYMENT_METHOD_ID) {
      return new String[] {
        "PAYMENT_INFO_NOT_PROVIDED", "A valid paymentMethodId is required with credit-card payment"
      };
    }
    if (pendingSubscriptions >= 3) {
      return new String[] {
        "TOO_MANY_PENDING_SUBSCRIPTIONS", "At most three subscriptions may be pending at once"
      };
    }
    return null;
  }
}
