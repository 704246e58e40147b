package dev.opsflow.redis.cloud.testing;

import dev.opsflow.workflow.testing.RedisEndpoint;
import dev.opsflow.workflow.testing.SelfSignedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated account: subscriptions, databases, peerings and the task queue, advanced lazily
 * from the clock at each request (state is a function of time since creation). One task runs at a
 * time; resources appear when their task completes and are {@code pending} for a provisioning delay
 * after that; a subscription is {@code pending} again while one of its databases is being created.
 * Every method is called with the lock of this object held.
 */
final class CloudState {
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  final Clock clock;
  final SimulatorSettings settings;
  final SimulatorFaults faults;
  final Map<String, SimTask> tasks = new LinkedHashMap<>();
  final Map<Long, Sub> subscriptions = new LinkedHashMap<>();
  final AtomicLong ids = new AtomicLong(100_000);
  Instant lastEnd = Instant.MIN;

  CloudState(Clock clock, SimulatorSettings settings, SimulatorFaults faults) {
    this.clock = clock;
    this.settings = settings;
    this.faults = faults;
  }

  /** A region of a subscription. */
  record RegionInfo(long regionId, String region, String cidr) {}

  /** A Pro or Essentials subscription. */
  static final class Sub {
    long id;
    String name;
    boolean fixed;
    String provider;
    String deploymentType = "single-region";
    List<RegionInfo> regions = new ArrayList<>();
    Long paymentMethodId;
    String paymentMethod;
    String memoryStorage = "ram";
    Long planId;
    boolean freePlan;
    Instant activeAt;
    final List<Instant[]> busy = new ArrayList<>();
    boolean deleting;
    final Map<Long, Db> databases = new LinkedHashMap<>();
    final Map<Long, ObjectNode> peerings = new LinkedHashMap<>();

    String status(Instant now) {
      if (deleting) {
        return "deleting";
      }
      if (now.isBefore(activeAt)) {
        return "pending";
      }
      for (Instant[] b : busy) {
        if (!now.isBefore(b[0]) && now.isBefore(b[1])) {
          return "pending";
        }
      }
      return "active";
    }
  }

  /** A database with its endpoints (one per region). */
  static final class Db {
    long id;
    String name;
    ObjectNode spec;
    Instant activeAt;
    boolean deleting;
    String password;
    boolean tls;
    final List<RedisEndpoint> endpoints = new ArrayList<>();

    String status(Instant now) {
      return deleting ? "pending" : now.isBefore(activeAt) ? "pending" : "active";
    }
  }

  Instant now() {
    return clock.instant();
  }

  long nextId() {
    return ids.incrementAndGet();
  }

  /**
   * Queues the deletion of a subscription (Pro or Essentials): it removes the subscription when it
   * completes, and fails with SUBSCRIPTION_IN_USE while the subscription still has databases.
   */
  SimTask deleteSubscriptionTask(Sub s, String commandType, Duration duration, String inUse) {
    SimTask.ErrorSpec error =
        s.databases.isEmpty()
            ? null
            : new SimTask.ErrorSpec("SUBSCRIPTION_IN_USE", "409 CONFLICT", inUse, false);
    return newTask(
        commandType,
        duration,
        (at, self) -> {
          subscriptions.remove(s.id);
          return s.id;
        },
        error,
        s.id);
  }

  /** Queues a task; a fault may make it fail or never finish. */
  SimTask newTask(
      String commandType,
      Duration duration,
      SimTask.Effect effect,
      SimTask.ErrorSpec error,
      Long resourceId) {
    Instant now = now();
    SimTask.ErrorSpec injected = faults.takeTaskError(commandType);
    boolean stuck = injected == null && faults.takeStuckTask();
    SimTask.ErrorSpec finalError = injected != null ? injected : error;
    Instant start = now.plus(settings.queueDelay());
    if (lastEnd.isAfter(start)) {
      start = lastEnd;
    }
    var task =
        new SimTask(
            UUID.randomUUID().toString(),
            commandType,
            now,
            start,
            duration,
            stuck,
            finalError == null ? effect : null,
            finalError,
            resourceId);
    if (!stuck) {
      lastEnd = task.end;
    }
    tasks.put(task.id, task);
    return task;
  }

  /** Applies the effects of every task that has ended by now, in order. */
  void advance() {
    Instant now = now();
    for (SimTask t : tasks.values()) {
      if (!t.applied && !t.stuck && !now.isBefore(t.end)) {
        t.applied = true;
        if (t.effect != null) {
          Long id = t.effect.apply(t.end, t);
          if (id != null) {
            t.resourceId = id;
          }
        }
      }
    }
  }

  /**
   * Adds a database to {@code s} and starts its endpoints (one per Active-Active region), serving
   * TLS with the {@linkplain SelfSignedCertificate#shared() shared certificate} when {@code tls}.
   */
  Db addDatabase(Sub s, String name, ObjectNode spec, boolean tls, Instant activeAt) {
    var db = new Db();
    db.id = nextId();
    db.name = name;
    db.spec = spec.deepCopy();
    db.spec.remove("quantity");
    db.spec.remove("enableTls");
    db.tls = tls;
    db.activeAt = activeAt;
    db.password = UUID.randomUUID().toString().replace("-", "");
    startEndpoints(db, "active-active".equals(s.deploymentType) ? s.regions.size() : 1);
    s.databases.put(db.id, db);
    return db;
  }

  /** Starts the database's endpoints, one per region, with TLS when the database has it. */
  void startEndpoints(Db db, int regions) {
    for (int i = 0; i < Math.max(1, regions); i++) {
      db.endpoints.add(settings.endpoints().start(db.password, serverTls(db.tls), 0));
    }
  }

  /**
   * Turns TLS on or off as the service applies an update: each endpoint restarts on its port (the
   * address clients know stays the same) with or without TLS; a port taken meanwhile gives a new
   * one.
   */
  void setTls(Db db, boolean tls) {
    if (db.tls == tls) {
      return;
    }
    db.tls = tls;
    var ports = db.endpoints.stream().map(RedisEndpoint::port).toList();
    stopEndpoints(db);
    for (int port : ports) {
      RedisEndpoint endpoint;
      try {
        endpoint = settings.endpoints().start(db.password, serverTls(tls), port);
      } catch (IllegalStateException taken) {
        endpoint = settings.endpoints().start(db.password, serverTls(tls), 0);
      }
      db.endpoints.add(endpoint);
    }
  }

  /**
   * Applies an update's fields to the database: they replace its settings, and {@code enableTls}
   * turns TLS on or off ({@link #setTls}).
   */
  Long update(Db d, ObjectNode changes) {
    ObjectNode fields = changes.deepCopy();
    JsonNode tls = fields.remove("enableTls");
    JsonNode replica = fields.remove("replica");
    fields.remove("dryRun");
    d.spec.setAll(fields);
    if (replica != null) {
      d.spec.set("replica", CloudReplicas.publicForm(replica));
      CloudReplicas.apply(d, replica, faults.syncsStuck());
    }
    if (tls != null && tls.isBoolean()) {
      setTls(d, tls.asBoolean());
    }
    return d.id;
  }

  private static javax.net.ssl.SSLContext serverTls(boolean tls) {
    return tls ? SelfSignedCertificate.shared().serverContext() : null;
  }

  void stopEndpoints(Db db) {
    db.endpoints.forEach(RedisEndpoint::close);
    db.endpoints.clear();
  }

  void closeAll() {
    subscriptions.values().forEach(s -> s.databases.values().forEach(this::stopEndpoints));
  }

  ObjectNode subscriptionJson(Sub s, Instant now) {
    ObjectNode n = F.objectNode();
    n.put("id", s.id);
    n.put("name", s.name);
    n.put("status", s.status(now));
    if (s.fixed) {
      n.put("planId", s.planId);
      n.put("planName", s.freePlan ? "Free 30MB" : "Standard 250MB");
      n.put("planType", s.freePlan ? "free" : "fixed");
      n.put("provider", s.provider);
      n.put("region", s.regions.isEmpty() ? null : s.regions.get(0).region());
      n.put("price", s.freePlan ? 0 : 7);
      n.put("creationDate", s.activeAt.toString());
    } else {
      n.put("deploymentType", s.deploymentType);
      n.put("memoryStorage", s.memoryStorage);
      n.put("paymentMethodType", s.paymentMethod);
      if (s.paymentMethodId != null) {
        n.put("paymentMethodId", s.paymentMethodId);
      }
      ArrayNode cloud = n.putArray("cloudDetails");
      ObjectNode provider = cloud.addObject();
      provider.put("provider", s.provider);
      provider.put("cloudAccountId", 1);
      ArrayNode regions = provider.putArray("regions");
      for (RegionInfo r : s.regions) {
        ObjectNode region = regions.addObject();
        region.put("region", r.region());
        region.putArray("networking").addObject().put("deploymentCIDR", r.cidr());
      }
    }
    n.put("numberOfDatabases", s.databases.size());
    if (s.fixed) {
      CloudObjects.fixed(n, s);
    } else {
      CloudObjects.pro(n, s);
    }
    return n;
  }

  ObjectNode databaseJson(Sub s, Db db, Instant now) {
    ObjectNode n = db.spec.deepCopy();
    n.remove("dryRun");
    // Requests carry these at the top level; answers only under security.
    n.remove("enableTls");
    n.remove("password");
    n.put("databaseId", db.id);
    n.put("name", db.name);
    if (!n.has("protocol")) {
      n.put("protocol", "redis");
    }
    n.put("provider", s.provider);
    n.put("status", db.status(now));
    if (!n.has("redisVersion")) {
      n.put("redisVersion", "7.4");
    }
    if (!n.has("memoryLimitInGb") && !n.has("datasetSizeInGb")) {
      n.put("memoryLimitInGb", s.fixed ? 0.03 : 1.0);
    }
    boolean active = db.status(now).equals("active");
    boolean aa = "active-active".equals(s.deploymentType);
    n.put("activeActiveRedis", aa);
    if (aa) {
      ArrayNode crdb = n.putArray("crdbDatabases");
      for (int i = 0; i < s.regions.size(); i++) {
        ObjectNode r = crdb.addObject();
        r.put("provider", s.provider);
        r.put("region", s.regions.get(i).region());
        if (active && i < db.endpoints.size()) {
          r.put("publicEndpoint", db.endpoints.get(i).address());
          r.put("privateEndpoint", db.endpoints.get(i).address());
        }
        r.set("security", security(db));
      }
    } else {
      n.put("region", s.regions.isEmpty() ? "us-east-1" : s.regions.get(0).region());
      if (active && !db.endpoints.isEmpty()) {
        n.put("publicEndpoint", db.endpoints.get(0).address());
        n.put("privateEndpoint", db.endpoints.get(0).address());
      }
      n.set("security", security(db));
    }
    CloudObjects.database(n, s, db, now);
    return n;
  }

  private static ObjectNode security(Db db) {
    ObjectNode sec = F.objectNode();
    sec.put("enableTls", db.tls);
    sec.put("sslClientAuthentication", false);
    sec.put("password", db.password);
    return sec;
  }

  ObjectNode databasesJson(Sub s, Instant now, boolean fixed) {
    ObjectNode root = F.objectNode();
    root.put("accountId", SimulatorSettings.ACCOUNT_ID);
    ObjectNode sub = F.objectNode();
    sub.put("subscriptionId", s.id);
    sub.put("numberOfDatabases", s.databases.size());
    ArrayNode dbs = sub.putArray("databases");
    s.databases.values().forEach(db -> dbs.add(databaseJson(s, db, now)));
    if (fixed) {
      root.set("subscription", sub);
    } else {
      root.putArray("subscription").add(sub);
    }
    CloudObjects.self(root, (fixed ? "/fixed" : "") + "/subscriptions/" + s.id + "/databases");
    return root;
  }
}
