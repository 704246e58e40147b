package dev.opsflow.hardware.maas;

import dev.opsflow.hardware.internal.HostErrors;
import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.http.Auth;
import dev.opsflow.workflow.http.HttpRequestSpec;
import dev.opsflow.workflow.http.HttpResponseData;
import dev.opsflow.workflow.http.HttpSettings;
import dev.opsflow.workflow.http.JsonHttpClient;
import dev.opsflow.workflow.http.RequestBody;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * A client of the MAAS REST API 2.0: machines (list, read, commission, allocate, deploy, release,
 * abort, power), tags, interfaces and addresses, and waits for commissioning and deployment.
 *
 * <pre>{@code
 * MaasClient maas = MaasClient.create("http://maas.example:5240/MAAS", Secret.of(apiKey));
 * maas.commission("4y3ha3");
 * MaasMachine ready = maas.awaitCommissioned(ctx, "4y3ha3", Duration.ofMinutes(30));
 * }</pre>
 *
 * <p>Requests are signed with OAuth 1.0a PLAINTEXT ({@link MaasOAuthSigner}); operations are {@code
 * ?op=NAME} with form bodies, as MAAS expects. Errors are those of the core {@link JsonHttpClient}
 * ({@link dev.opsflow.workflow.ApiException} with MAAS's status and text, kind AUTH for 401/403,
 * CONNECTION, TIMEOUT, PROTOCOL), with the MAAS server named in the message. Identifiers are
 * checked before any request. Each method is one blocking call a step can make; the client never
 * retries by itself (use a step's retry policy). Thread-safe.
 */
public final class MaasClient {
  private static final String API = "/api/2.0/";
  private static final Pattern SYSTEM_ID = Pattern.compile("[a-z0-9]{1,32}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]{1,256}");

  private final JsonHttpClient http;
  private final String origin;

  private MaasClient(JsonHttpClient http) {
    this.http = http;
    this.origin = http.settings().baseUri().toString();
  }

  /**
   * A client for the MAAS at {@code baseUri} (ending in {@code /MAAS}) with the API key {@code
   * consumer:token:secret}.
   *
   * @param baseUri the MAAS API's base URI, ending in {@code /MAAS}
   * @param apiKey the API key, {@code consumer:token:secret}
   * @return the client
   * @throws IllegalArgumentException if the URI or the key is malformed
   */
  public static MaasClient create(String baseUri, Secret apiKey) {
    return create(HttpSettings.of(baseUri), apiKey);
  }

  /**
   * A client with prepared settings (timeouts, TLS); their auth is replaced by the API key's.
   *
   * @param settings the base URI, timeouts and TLS trust
   * @param apiKey the API key, {@code consumer:token:secret}
   * @return the client
   */
  public static MaasClient create(HttpSettings settings, Secret apiKey) {
    MaasOAuthSigner signer = MaasOAuthSigner.of(apiKey);
    return new MaasClient(JsonHttpClient.create(settings.withAuth(Auth.custom(signer))));
  }

  /** {@return {@code GET version/}: the server's version and capabilities} */
  public JsonNode version() {
    return call(() -> http.get(API + "version/", JsonNode.class));
  }

  /**
   * {@return {@code GET users/?op=whoami}: the user the API key belongs to (checks the
   * credentials)}
   */
  public String whoami() {
    JsonNode me =
        call(
            () ->
                http.send(
                    HttpRequestSpec.get(API + "users/").withQuery("op", "whoami"), JsonNode.class));
    return me.path("username").asString();
  }

  /** {@return {@code GET machines/}: every machine} */
  public List<MaasMachine> machines() {
    return call(() -> http.get(API + "machines/", new TypeReference<List<MaasMachine>>() {}));
  }

  /**
   * {@code GET machines/{id}/}.
   *
   * @param systemId the machine's MAAS system id
   * @return the machine
   */
  public MaasMachine machine(String systemId) {
    String path = machinePath(systemId);
    return call(() -> http.get(path, MaasMachine.class));
  }

  /**
   * {@code POST machines/{id}/?op=commission}: starts commissioning (then testing).
   *
   * @param systemId the machine's MAAS system id
   * @return the machine as MAAS answered
   */
  public MaasMachine commission(String systemId) {
    return commission(systemId, Map.of());
  }

  /**
   * {@code POST machines/{id}/?op=commission} with options such as {@code enable_ssh=1}, {@code
   * skip_networking=1}, {@code commissioning_scripts}, {@code testing_scripts=none}.
   *
   * @param systemId the machine's MAAS system id
   * @param options the commissioning options, by their API names
   * @return the machine as MAAS answered
   */
  public MaasMachine commission(String systemId, Map<String, ?> options) {
    return machineOp(systemId, "commission", options);
  }

  /**
   * {@code POST machines/?op=allocate}: allocates a Ready machine matching the constraints ({@code
   * system_id}, {@code name}, {@code tags}, {@code cpu_count}, {@code mem}...).
   *
   * @param constraints the constraints, by their API names
   * @return the machine allocated
   */
  public MaasMachine allocate(Map<String, ?> constraints) {
    return call(
        () ->
            http.send(
                HttpRequestSpec.post(API + "machines/", RequestBody.form(constraints))
                    .withQuery("op", "allocate"),
                MaasMachine.class));
  }

  /**
   * Allocates the machine with this system id.
   *
   * @param systemId the machine's MAAS system id
   * @return the machine allocated
   */
  public MaasMachine allocate(String systemId) {
    return allocate(Map.of("system_id", checkId(systemId)));
  }

  /**
   * {@code POST machines/{id}/?op=deploy} with a release and optional cloud-init user data (sent
   * base64-encoded, as MAAS expects).
   *
   * @param systemId the machine's MAAS system id
   * @param distroSeries the release (jammy, noble...), or null for MAAS's default
   * @param userData cloud-init user data, or null
   * @return the machine as MAAS answered
   */
  public MaasMachine deploy(String systemId, String distroSeries, String userData) {
    var form = new LinkedHashMap<String, Object>();
    form.put("distro_series", distroSeries);
    if (userData != null) {
      form.put(
          "user_data",
          Base64.getEncoder()
              .encodeToString(userData.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    return machineOp(systemId, "deploy", form);
  }

  /**
   * {@code POST machines/{id}/?op=release}.
   *
   * @param systemId the machine's MAAS system id
   * @return the machine as MAAS answered
   */
  public MaasMachine release(String systemId) {
    return machineOp(systemId, "release", Map.of());
  }

  /**
   * {@code POST machines/{id}/?op=abort}: aborts the current operation (commissioning...).
   *
   * @param systemId the machine's MAAS system id
   * @return the machine as MAAS answered
   */
  public MaasMachine abort(String systemId) {
    return machineOp(systemId, "abort", Map.of());
  }

  /**
   * {@code POST machines/{id}/?op=power_on}.
   *
   * @param systemId the machine's MAAS system id
   * @return the machine as MAAS answered
   */
  public MaasMachine powerOn(String systemId) {
    return machineOp(systemId, "power_on", Map.of());
  }

  /**
   * {@code POST machines/{id}/?op=power_off}.
   *
   * @param systemId the machine's MAAS system id
   * @return the machine as MAAS answered
   */
  public MaasMachine powerOff(String systemId) {
    return machineOp(systemId, "power_off", Map.of());
  }

  /**
   * {@code GET machines/{id}/?op=query_power_state}: asks the BMC now (on, off, unknown, error).
   *
   * @param systemId the machine's MAAS system id
   * @return the power state: {@code on}, {@code off}, {@code unknown} or {@code error}
   */
  public String queryPowerState(String systemId) {
    String path = machinePath(systemId);
    JsonNode state =
        call(
            () ->
                http.send(
                    HttpRequestSpec.get(path).withQuery("op", "query_power_state"),
                    JsonNode.class));
    return state.path("state").asString();
  }

  /**
   * The machine's IP addresses.
   *
   * @param systemId the machine's MAAS system id
   * @return its addresses, as MAAS shows them
   */
  public List<String> ipAddresses(String systemId) {
    return machine(systemId).ipAddresses();
  }

  /**
   * {@code GET nodes/{id}/interfaces/}.
   *
   * @param systemId the machine's MAAS system id
   * @return its network interfaces
   */
  public List<MaasInterface> interfaces(String systemId) {
    String path = API + "nodes/" + checkId(systemId) + "/interfaces/";
    return call(() -> http.get(path, new TypeReference<List<MaasInterface>>() {}));
  }

  /**
   * {@code POST tags/}: creates a tag; an existing tag of that name is left as it is.
   *
   * @param tag the tag's name
   * @param comment what the tag means, shown in MAAS
   */
  public void createTag(String tag, String comment) {
    checkTag(tag);
    var form = new LinkedHashMap<String, Object>();
    form.put("name", tag);
    form.put("comment", comment);
    HttpResponseData answer =
        call(
            () ->
                http.send(
                    HttpRequestSpec.post(API + "tags/", RequestBody.form(form))
                        .allowingStatus(400, 409)));
    if (!answer.isSuccess() && !answer.body().contains("already exists")) {
      throw HostErrors.withHost(
          "MAAS " + origin,
          new dev.opsflow.workflow.ApiException(
              "POST", API + "tags/", answer.status(), null, answer.body(), false, null, null));
    }
  }

  /**
   * {@code POST tags/{tag}/?op=update_nodes} with {@code add=}: tags the machines.
   *
   * @param tag the tag's name
   * @param systemIds the machines' system ids
   */
  public void addTag(String tag, List<String> systemIds) {
    updateTag(tag, "add", systemIds);
  }

  /**
   * {@code POST tags/{tag}/?op=update_nodes} with {@code remove=}: untags the machines.
   *
   * @param tag the tag's name
   * @param systemIds the machines' system ids
   */
  public void removeTag(String tag, List<String> systemIds) {
    updateTag(tag, "remove", systemIds);
  }

  /**
   * Waits for commissioning (and testing) to end in Ready. Fails at once on Failed commissioning
   * (2), Failed testing (22) or Broken (8) with the machine's status_message.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param systemId the machine's MAAS system id
   * @param timeout how long to wait at most
   * @return the machine once Ready
   * @throws dev.opsflow.workflow.WorkflowException of kind REMOTE_FAILURE on such a status
   * @throws dev.opsflow.workflow.StepTimeoutException past {@code timeout}, with the last status
   */
  public MaasMachine awaitCommissioned(StepContext ctx, String systemId, Duration timeout) {
    return awaitStatus(
        ctx,
        systemId,
        MaasStatus.READY,
        m -> m.statusValue().map(MaasStatus::failsCommissioning).orElse(false),
        "commissioning",
        timeout);
  }

  /**
   * Waits for deployment to end in Deployed; fails at once on Failed deployment or Broken.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param systemId the machine's MAAS system id
   * @param timeout how long to wait at most
   * @return the machine once Deployed
   */
  public MaasMachine awaitDeployed(StepContext ctx, String systemId, Duration timeout) {
    return awaitStatus(
        ctx,
        systemId,
        MaasStatus.DEPLOYED,
        m -> m.statusValue().map(MaasStatus::failsDeployment).orElse(false),
        "deployment",
        timeout);
  }

  /**
   * Waits for a release to end in Ready; fails at once on Releasing failed or Broken.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param systemId the machine's MAAS system id
   * @param timeout how long to wait at most
   * @return the machine once Ready
   */
  public MaasMachine awaitReleased(StepContext ctx, String systemId, Duration timeout) {
    return awaitStatus(
        ctx,
        systemId,
        MaasStatus.READY,
        m -> m.is(MaasStatus.RELEASING_FAILED) || m.is(MaasStatus.BROKEN),
        "release",
        timeout);
  }

  /**
   * Polls the machine (every 5 s, backing off to 30 s) until it is in {@code target}, reporting
   * each new status as the step's sub-task. Fails at once when {@code failed} matches.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param systemId the machine's MAAS system id
   * @param target the status awaited
   * @param failed the statuses that end the wait in failure
   * @param operation what is awaited, for messages
   * @param timeout how long to wait at most
   * @return the machine once in {@code target}
   */
  public MaasMachine awaitStatus(
      StepContext ctx,
      String systemId,
      MaasStatus target,
      Predicate<MaasMachine> failed,
      String operation,
      Duration timeout) {
    checkId(systemId);
    var shown = new java.util.concurrent.atomic.AtomicInteger(-1);
    return Await.<MaasMachine>on(ctx, operation + " of MAAS machine " + systemId)
        .every(Duration.ofSeconds(5))
        .backoff(1.5)
        .atMost(Duration.ofSeconds(30))
        .timeout(timeout)
        .onPoll(
            m -> {
              if (shown.getAndSet(m.status()) != m.status()) {
                ctx.subTask("MAAS machine " + systemId + ": " + m.statusName());
              }
            })
        .failWhen(failed)
        .until(() -> machine(systemId), m -> m.is(target), MaasMachine::describeStatus);
  }

  private void updateTag(String tag, String action, List<String> systemIds) {
    checkTag(tag);
    if (systemIds == null || systemIds.isEmpty()) {
      throw new IllegalArgumentException("systemIds must not be empty");
    }
    systemIds.forEach(MaasClient::checkId);
    call(
        () ->
            http.send(
                HttpRequestSpec.post(
                        API + "tags/" + tag + "/", RequestBody.form(Map.of(action, systemIds)))
                    .withQuery("op", "update_nodes")));
  }

  private MaasMachine machineOp(String systemId, String op, Map<String, ?> form) {
    String path = machinePath(systemId);
    return call(
        () ->
            http.send(
                HttpRequestSpec.post(path, RequestBody.form(form)).withQuery("op", op),
                MaasMachine.class));
  }

  private <T> T call(Supplier<T> request) {
    return HostErrors.naming("MAAS", origin, request);
  }

  private static String machinePath(String systemId) {
    return API + "machines/" + checkId(systemId) + "/";
  }

  private static String checkId(String systemId) {
    if (systemId == null || !SYSTEM_ID.matcher(systemId).matches()) {
      throw new IllegalArgumentException(
          "systemId must be a MAAS system id (lower-case letters and digits), was '"
              + systemId
              + "'");
    }
    return systemId;
  }

  private static void checkTag(String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException(
          "tag must be letters, digits, '-' or '_', was '" + tag + "'");
    }
  }
}
