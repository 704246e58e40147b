package dev.opsflow.redis.enterprise.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.opsflow.redis.enterprise.client.RedisEnterpriseClient;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.testing.InFlightRequests;
import dev.opsflow.workflow.testing.SelfSignedCertificate;
import dev.opsflow.workflow.testing.SimulatorStateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * A stateful, faithful fake of a Redis Enterprise cluster's REST API (one node by default, N with
 * {@link Builder#nodes}), over HTTPS on 127.0.0.1 with a self-signed certificate (trust it with
 * {@link #trustCertificate()}).
 *
 * <ul>
 *   <li>nodes carry their software version (read from a {@code VERSION} file in each node's install
 *       directory, {@link #nodeInstallDir}, which an installer run over SSH rewrites; the node is
 *       then {@code down} for its restart time), maintenance mode ({@code
 *       /v1/nodes/{uid}/actions/maintenance_on|off}) and the database versions they bundle;
 *   <li>database upgrades ({@code POST /v1/bdbs/{uid}/upgrade}), Replica Of ({@code
 *       replica_sources}, {@code replica_sync}: {@code REPLICAOF} between the redis-servers),
 *       exports and imports (real RDB files, to a mount point or over SFTP) and the recovery of a
 *       lost cluster ({@link #loseCluster()}, {@code recover_cluster}, {@code actions/recover});
 *   <li>bootstrap goes {@code idle} -&gt; {@code initiated} -&gt; {@code creating_cluster} -&gt;
 *       {@code completed} (or {@code error}) over the clock's time; a fresh simulator joins another
 *       one's cluster with {@code join_cluster} ({@link SimulatorJoins}) and then serves its API;
 *       {@code GET /v1/bootstrap} answers without auth only until then; every other endpoint
 *       answers 503 before;
 *   <li>after bootstrap, basic auth is enforced: missing or wrong credentials give 401;
 *   <li>a new database is {@code pending} until its action ({@code queued} -&gt; {@code running}
 *       -&gt; {@code completed}) ends, then {@code active}, or {@code creation-failed};
 *   <li>each database's endpoint is a real {@code redis-server} on a free port when one is on the
 *       PATH, else (and for TLS databases) the core's in-process {@link
 *       dev.opsflow.workflow.testing.RespResponder};
 *   <li>errors have the real shape {@code {"error_code": "...", "description": "..."}};
 *   <li>{@link #faults()} injects failures; {@link #requests()} is the request log (secrets
 *       redacted);
 *   <li>with {@link Builder#stateDirectory} the cluster (bootstrap, users, settings, license,
 *       databases and their creation) survives a restart; the databases' data, operations in flight
 *       on them, node software changes and faults do not.
 * </ul>
 *
 * <p>Time is read from the given {@link Clock} at each request, so a {@code ManualClock} shared
 * with the engine makes a 30 s bootstrap pass as fast as the workflow sleeps. Thread-safe; close it
 * to stop the server and every database endpoint.
 */
public final class RedisEnterpriseSimulator implements AutoCloseable {
  private final HttpsServer server;
  private final ExecutorService executor;
  private final InFlightRequests inFlight = new InFlightRequests();
  private final SimulatorApi api;
  private final SimulatorDatabases databases;
  private final Faults faults;
  private final String pem;
  private final List<RecordedRequest> log = new CopyOnWriteArrayList<>();
  private final SimulatorStateFile stateFile;
  private final boolean restored;

  private RedisEnterpriseSimulator(Builder b) {
    SelfSignedCertificate certificate = SelfSignedCertificate.shared();
    this.pem = certificate.pem();
    this.faults = new Faults();
    this.api =
        new SimulatorApi(
            b.clock,
            b.bootstrapDuration,
            b.databaseDuration,
            b.deletionDuration,
            b.nodeMemory,
            b.backend,
            certificate.serverContext(),
            faults,
            b.nodes,
            b.softwareVersion,
            b.nodeRestart);
    this.databases = new SimulatorDatabases(api);
    api.attach(databases);
    api.sftpKnownHosts(b.sftpKnownHosts);
    this.stateFile =
        b.stateDirectory == null
            ? null
            : SimulatorStateFile.in(b.stateDirectory, "redis-enterprise");
    JsonNode saved = stateFile == null ? null : stateFile.read().orElse(null);
    try {
      server =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the simulator's port " + (b.port == 0 ? "(any)" : b.port), e);
    }
    this.restored = saved != null;
    if (saved != null) {
      try {
        SimulatorState.restore(saved, api, databases);
      } catch (RuntimeException e) {
        server.stop(0);
        databases.closeAll();
        api.closeNodes();
        throw e;
      }
    }
    server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "re-simulator");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    var joins =
        new SimulatorJoins(api, this::url, b.clusterPem != null ? b.clusterPem : certificate.pem());
    var handler = new SimulatorHandler(api, databases, faults, b.messageField, log, joins);
    handler.onChange(this::save);
    server.createContext("/", handler).getFilters().add(inFlight);
    save();
    server.start();
  }

  /**
   * {@return a simulator with every default (system clock, 30 s bootstrap, 10 s database creation)}
   */
  public static RedisEnterpriseSimulator start() {
    return builder().start();
  }

  /** {@return a builder for a simulator} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the API's base URL, {@code https://127.0.0.1:PORT}} */
  public String url() {
    return "https://127.0.0.1:" + server.getAddress().getPort();
  }

  /** {@return the simulator's self-signed certificate in PEM: the CA a client trusts} */
  public String certificatePem() {
    return pem;
  }

  /**
   * Adjusts client settings to trust the simulator's certificate (TLS stays verified).
   *
   * @return the adjustment, for {@code ClusterClientFactory.fromContext(adjust)}
   */
  public UnaryOperator<HttpSettings> trustCertificate() {
    return settings -> settings.withTrustedPem(pem);
  }

  /**
   * Client settings for {@link #url()} with basic auth, trusting the simulator's certificate.
   *
   * @param username the user to authenticate as
   * @param password the user's password
   * @return the settings
   */
  public HttpSettings settings(String username, Secret password) {
    return RedisEnterpriseClient.settings(url(), username, password).withTrustedPem(pem);
  }

  /**
   * A client for this simulator with these credentials.
   *
   * @param username the user to authenticate as
   * @param password the user's password
   * @return the client
   */
  public RedisEnterpriseClient client(String username, Secret password) {
    return RedisEnterpriseClient.create(settings(username, password));
  }

  /**
   * Makes the node an already bootstrapped cluster with this admin, as if bootstrapped earlier.
   *
   * @param clusterName the cluster's name
   * @param username the admin's name
   * @param password the admin's password
   * @return this simulator
   */
  public RedisEnterpriseSimulator bootstrapped(
      String clusterName, String username, String password) {
    api.presetBootstrapped(clusterName, username, password);
    save();
    return this;
  }

  /**
   * {@return whether this simulator started from the state a previous one left in its state
   * directory: false without a state directory or when it held no state yet}
   */
  public boolean restored() {
    return restored;
  }

  /**
   * {@return the name of the cluster the node belongs to, once bootstrapped (or bootstrapping);
   * empty before}
   */
  public java.util.Optional<String> clusterName() {
    return java.util.Optional.ofNullable(api.clusterName());
  }

  /** The admin's email and password (the first user), or empty before any bootstrap. */
  @SuppressWarnings("unchecked")
  java.util.Optional<String[]> admin() {
    var users = (List<java.util.Map<String, Object>>) api.clusterSnapshot().get("users");
    return users.stream()
        .findFirst()
        .map(u -> new String[] {(String) u.get("email"), (String) u.get("password")});
  }

  /** Writes the state to the state directory, if there is one. */
  private void save() {
    if (stateFile != null) {
      synchronized (api) {
        stateFile.write(SimulatorState.snapshot(api));
      }
    }
  }

  /** {@return the current bootstrap state ({@code idle}, ..., {@code completed}, {@code error})} */
  public String bootstrapState() {
    return api.bootstrapState();
  }

  /** {@return the fault injector} */
  public Faults faults() {
    return faults;
  }

  /**
   * {@return the requests this simulator serves at once: their count now and at its peak, and a
   * stall that holds them (see {@link InFlightRequests})}
   */
  public InFlightRequests inFlight() {
    return inFlight;
  }

  /** {@return every request received so far, in order} */
  public List<RecordedRequest> requests() {
    return List.copyOf(log);
  }

  /**
   * The requests that match {@code filter}.
   *
   * @param filter true for the requests wanted
   * @return those requests, oldest first
   */
  public List<RecordedRequest> requests(Predicate<RecordedRequest> filter) {
    return log.stream().filter(filter).toList();
  }

  /**
   * The requests of {@code method} on exactly {@code path}.
   *
   * @param method the HTTP method
   * @param path the path, without the query
   * @return those requests, oldest first
   */
  public List<RecordedRequest> requests(String method, String path) {
    return requests(r -> r.is(method, path));
  }

  /** Forgets the request log. */
  public void clearRequests() {
    log.clear();
  }

  /**
   * {@return the names of the databases that exist now (a {@code delete-pending} one still does)}
   */
  public List<String> databaseNames() {
    var now = api.clock().instant();
    return api.withDatabases(
        (dbs, actions) ->
            dbs.values().stream().filter(d -> !d.gone(now)).map(d -> d.name).toList());
  }

  /**
   * The kind of endpoint ({@code redis-server} or {@code responder}) of a database.
   *
   * @param name the database's name
   * @return {@code redis-server} or {@code responder}
   */
  public String databaseBackend(String name) {
    return api.withDatabases(
        (dbs, actions) ->
            dbs.values().stream()
                .filter(d -> d.name.equals(name))
                .map(d -> d.endpoint == null ? "none" : d.endpoint.kind())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no database named " + name)));
  }

  /**
   * The install directory of node {@code uid}: its {@code VERSION} file holds the software version
   * the node runs; writing another one there is what an upgrade of its packages does.
   *
   * @param uid the node's uid
   * @return the directory
   */
  public java.nio.file.Path nodeInstallDir(int uid) {
    return api.nodes(api.clock().instant()).stream()
        .filter(n -> n.uid == uid)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + uid))
        .installDir;
  }

  /**
   * The software version node {@code uid} runs now.
   *
   * @param uid the node's uid
   * @return the version, such as {@code 7.8.2-34}
   */
  public String nodeSoftwareVersion(int uid) {
    return api.nodes(api.clock().instant()).stream()
        .filter(n -> n.uid == uid)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + uid))
        .softwareVersion();
  }

  /**
   * The cluster's primary (master) node now: node 1 at start; when the primary restarts, the first
   * active node takes the role ({@code GET /v1/nodes/status} shows it as {@code role: master}).
   *
   * @return the uid of the primary node
   */
  public int primaryNode() {
    return api.primaryNode();
  }

  /**
   * Makes node {@code uid} the primary, as {@code POST /v1/cluster/actions/change_master} (rladmin
   * {@code cluster master set}) does.
   *
   * @param uid the uid of the node to make the primary; it must be an active node of the cluster
   * @return this simulator
   * @throws IllegalArgumentException when there is no such active node
   */
  public RedisEnterpriseSimulator changeMaster(int uid) {
    Reply reply = api.changeMaster(String.valueOf(uid));
    if (reply.status() != 200) {
      throw new IllegalArgumentException("node " + uid + " cannot become the master");
    }
    return this;
  }

  /**
   * A bucket of the simulator's S3 store, which exports of {@code type: s3} write to and imports
   * read from when they carry these keys (others fail with {@code no-permission}; an unknown bucket
   * with {@code wrong-file-path}). Returns the bucket's directory: objects are files under it,
   * {@code subdir/name}. Calling it again for a bucket replaces its keys and keeps its objects.
   *
   * @param name the bucket's name, as in {@code bucket_name} or {@code s3://name/...}
   * @param accessKeyId the access key id an export or import must carry ({@code access_key_id})
   * @param secretAccessKey the secret access key it must carry ({@code secret_access_key})
   * @return the bucket's directory, created if missing
   * @throws java.io.UncheckedIOException if the directory cannot be created
   */
  public java.nio.file.Path s3Bucket(String name, String accessKeyId, String secretAccessKey) {
    return api.locations().bucket(name, accessKeyId, secretAccessKey);
  }

  /**
   * Node {@code uid} never comes back from its next restart (a software change).
   *
   * @param uid the node's uid
   * @return this simulator
   */
  public RedisEnterpriseSimulator nodeNeverReturns(int uid) {
    synchronized (api) {
      api.nodes(api.clock().instant()).stream()
          .filter(n -> n.uid == uid)
          .forEach(n -> n.neverReturns = true);
    }
    return this;
  }

  /**
   * The cluster fails: every database process is gone, the node is back to unbootstrapped, and its
   * persistent storage keeps the configuration ({@link #recoveryFile()}) and the data of databases
   * with persistence. Recover it with {@code POST /v1/bootstrap/recover_cluster}.
   */
  public void loseCluster() {
    api.recoveries().lose();
  }

  /** {@return the cluster configuration file ({@code ccs-redis.rdb}) a recovery names} */
  public java.nio.file.Path recoveryFile() {
    return api.recoveries().ccsFile();
  }

  /**
   * The port of a database's endpoint (10000-19999), by name.
   *
   * @param name the database's name
   * @return the port
   */
  public int databasePort(String name) {
    return api.withDatabases(
        (dbs, actions) ->
            dbs.values().stream()
                .filter(d -> d.name.equals(name))
                .map(d -> d.endpointPort)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no database named " + name)));
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    databases.closeAll();
    api.closeNodes();
  }

  /** Builds a {@link RedisEnterpriseSimulator}. Not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Duration bootstrapDuration = Duration.ofSeconds(30);
    private Duration databaseDuration = Duration.ofSeconds(10);
    private Duration deletionDuration = Duration.ofSeconds(2);
    private long nodeMemory = 16L << 30;
    private RedisBackend backend = RedisBackend.AUTO;
    private String messageField = "description";
    private int nodes = 1;
    private String softwareVersion = "7.8.2-34";
    private Duration nodeRestart = Duration.ofSeconds(30);
    private java.nio.file.Path sftpKnownHosts;
    private String clusterPem;

    private int port;
    private java.nio.file.Path stateDirectory;

    private Builder() {}

    /**
     * The certificate (PEM) this node trusts when it joins a cluster ({@code POST
     * /v1/bootstrap/join_cluster}): the cluster simulator's {@link #certificatePem()} when it runs
     * in another JVM (default: this JVM's, which every simulator in it presents).
     *
     * @param pem the cluster's certificate in PEM form ({@code -----BEGIN CERTIFICATE-----...})
     * @return this builder
     * @throws IllegalArgumentException if {@code pem} is null or holds no PEM certificate
     */
    public Builder clusterCertificate(String pem) {
      if (pem == null || !pem.contains("BEGIN CERTIFICATE")) {
        throw new IllegalArgumentException("clusterCertificate must be a PEM certificate");
      }
      this.clusterPem = pem;
      return this;
    }

    /**
     * The API's port on 127.0.0.1 (default 0: any free port).
     *
     * @param value the port, 0-65535; 0 for any free port
     * @return this builder
     * @throws IllegalArgumentException if the port is outside 0-65535
     */
    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, was " + value);
      }
      this.port = value;
      return this;
    }

    /**
     * Keeps the cluster's state in {@code dir} (the file {@code redis-enterprise.json}), written
     * after every change and read at start, so a restarted simulator meets the same cluster: its
     * bootstrap, admin and users, settings, license and databases (see the class comment of what is
     * not kept).
     *
     * @param dir the directory to keep the state in, not null; the same one for a restart
     * @return this builder
     * @throws NullPointerException if {@code dir} is null
     */
    public Builder stateDirectory(java.nio.file.Path dir) {
      this.stateDirectory = Objects.requireNonNull(dir, "stateDirectory must not be null");
      return this;
    }

    /**
     * The clock state machines read (a {@code ManualClock} in tests).
     *
     * @param value the clock the simulator's state machines read
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock must not be null");
      return this;
    }

    /**
     * How long a bootstrap takes (default 30 s).
     *
     * @param value how long a bootstrap takes
     * @return this builder
     */
    public Builder bootstrapDuration(Duration value) {
      this.bootstrapDuration = positive(value, "bootstrapDuration");
      return this;
    }

    /**
     * How long a database creation action takes (default 10 s).
     *
     * @param value how long a database creation takes
     * @return this builder
     */
    public Builder databaseCreationDuration(Duration value) {
      this.databaseDuration = positive(value, "databaseCreationDuration");
      return this;
    }

    /**
     * How long a deleted database stays {@code delete-pending} before {@code GET} answers 404
     * (default 2 s). Its endpoint stops at once; its name and memory are taken until it is gone.
     *
     * @param value how long a deleted database stays {@code delete-pending}
     * @return this builder
     */
    public Builder databaseDeletionDuration(Duration value) {
      this.deletionDuration = positive(value, "databaseDeletionDuration");
      return this;
    }

    /**
     * The node's memory in bytes (default 16 GiB); creations beyond it answer 406.
     *
     * @param bytes the memory in bytes
     * @return this builder
     */
    public Builder nodeMemory(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("nodeMemory must be > 0");
      }
      this.nodeMemory = bytes;
      return this;
    }

    /**
     * What serves database endpoints (default {@link RedisBackend#AUTO}).
     *
     * @param value what serves the database endpoints
     * @return this builder
     */
    public Builder redisBackend(RedisBackend value) {
      this.backend = Objects.requireNonNull(value, "backend must not be null");
      return this;
    }

    /**
     * Errors carry their text under {@code message} (the documented shape) instead of {@code
     * description} (what 7.4 clusters send).
     *
     * @return this builder
     */
    public Builder documentedErrorShape() {
      this.messageField = "message";
      return this;
    }

    /**
     * How many nodes the cluster has (default 1).
     *
     * @param count the number of nodes, at least 1
     * @return this builder
     */
    public Builder nodes(int count) {
      if (count < 1 || count > 64) {
        throw new IllegalArgumentException("nodes must be 1-64, was " + count);
      }
      this.nodes = count;
      return this;
    }

    /**
     * The software every node runs at start (default {@code 7.8.2-34}, bundling Redis 6.2, 7.2 and
     * 7.4; {@code 7.4.2-54} bundles 6.0, 6.2 and 7.2, as the vendor's version table says).
     *
     * @param version the software version, such as {@code 7.8.2-34}
     * @return this builder
     */
    public Builder softwareVersion(String version) {
      if (version == null || !SimulatedNode.known(version)) {
        throw new IllegalArgumentException(
            "softwareVersion must be MAJOR.MINOR.PATCH-BUILD of 7.4 or 7.8, was " + version);
      }
      this.softwareVersion = version;
      return this;
    }

    /**
     * How long a node is down after its software changed (default 30 s).
     *
     * @param value how long a node is down after a software change
     * @return this builder
     */
    public Builder nodeRestartDuration(Duration value) {
      this.nodeRestart = positive(value, "nodeRestartDuration");
      return this;
    }

    /**
     * The known_hosts file the cluster checks SFTP servers' host keys against (exports).
     *
     * @param file the known_hosts file
     * @return this builder
     */
    public Builder sftpKnownHosts(java.nio.file.Path file) {
      this.sftpKnownHosts = Objects.requireNonNull(file, "file must not be null");
      return this;
    }

    /**
     * Starts the simulator.
     *
     * @return the simulator, listening; close it when done
     */
    public RedisEnterpriseSimulator start() {
      return new RedisEnterpriseSimulator(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0");
      }
      return d;
    }
  }
}
