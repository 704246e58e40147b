package dev.opsflow.hardware.redfish;

import dev.opsflow.hardware.internal.HostErrors;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.Await;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Json;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.Auth;
import dev.opsflow.workflow.http.HttpRequestSpec;
import dev.opsflow.workflow.http.HttpResponseData;
import dev.opsflow.workflow.http.JsonHttpClient;
import dev.opsflow.workflow.http.RequestBody;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A Redfish client for provisioning: systems and power, BIOS attributes, firmware inventory and
 * SimpleUpdate with its task, and the BMC's own network settings.
 *
 * <pre>{@code
 * try (RedfishClient bmc = RedfishClient.connect(RedfishSettings.of("https://10.0.0.5", "root", pw))) {
 *   String system = bmc.systems().get(0);
 *   bmc.setBiosAttributes(system, Map.of("BootMode", "Uefi"), ApplyTime.ON_RESET);
 *   bmc.reset(system, "ForceRestart");
 * }
 * }</pre>
 *
 * <p>Everything is found by following links from the service root ({@code /redfish/v1}):
 * collections' {@code Members}, {@code @Redfish.Settings.SettingsObject}, actions' {@code target};
 * no resource path is built by hand. Authentication is a session ({@code X-Auth-Token}, deleted by
 * {@link #close()}, created again once if the service expires it) with HTTP basic as fallback for
 * services without sessions. Changes to a resource that has an ETag are sent with {@code If-Match}.
 *
 * <p>Errors are those of the core {@link JsonHttpClient} (the Redfish error's MessageId and text,
 * kind AUTH for 401/403, CONNECTION, TIMEOUT, PROTOCOL) with the service named in the message.
 * Arguments are checked before any request. Thread-safe; every method is one blocking call a step
 * can make.
 */
public final class RedfishClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedfishClient.class);
  private static final String ROOT = "/redfish/v1/";
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  private final RedfishSettings settings;
  private final RedfishCredentials credentials;
  private final JsonHttpClient http;
  private final String origin;
  private final Map<String, String> taskOfMonitor = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile String sessionUri;
  private volatile JsonNode root;

  private RedfishClient(RedfishSettings settings) {
    this.settings = settings;
    this.credentials = new RedfishCredentials(settings.username(), settings.password());
    this.http = JsonHttpClient.create(settings.http().withAuth(Auth.custom(credentials)));
    java.net.URI base = settings.http().baseUri();
    this.origin =
        base.getScheme()
            + "://"
            + base.getHost()
            + (base.getPort() >= 0 ? ":" + base.getPort() : "");
  }

  /**
   * Reads the service root and logs in.
   *
   * @param settings the origin, credentials, auth mode and HTTP settings
   * @return the client, logged in; close it to log out
   * @throws ApiException of kind AUTH when the credentials are refused, CONNECTION when the service
   *     cannot be reached
   */
  public static RedfishClient connect(RedfishSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    var client = new RedfishClient(settings);
    client.root = client.call(() -> client.http.get(ROOT, JsonNode.class));
    client.login();
    return client;
  }

  /** {@return the service root as read at connect time} */
  public JsonNode serviceRoot() {
    return root;
  }

  /** {@return whether requests carry a session token (rather than basic auth)} */
  public boolean usesSession() {
    return credentials.mode() == RedfishCredentials.Mode.SESSION;
  }

  /**
   * GETs any resource by its {@code @odata.id}.
   *
   * @param uri the resource's {@code @odata.id}
   * @return the resource
   */
  public JsonNode get(String uri) {
    String path = checkUri(uri);
    return authenticated(() -> http.get(path, JsonNode.class));
  }

  /** {@return the {@code @odata.id}s of the service's ComputerSystems} */
  public List<String> systems() {
    return members(link(root, "Systems"));
  }

  /**
   * A ComputerSystem with its power state, BIOS link and reset action.
   *
   * @param systemUri the ComputerSystem's {@code @odata.id}
   * @return the system
   */
  public RedfishSystem system(String systemUri) {
    JsonNode s = get(systemUri);
    JsonNode reset = s.path("Actions").path("#ComputerSystem.Reset");
    var types = new ArrayList<String>();
    reset.path("ResetType@Redfish.AllowableValues").forEach(v -> types.add(v.asString()));
    String actionInfo = text(reset, "@Redfish.ActionInfo");
    if (types.isEmpty() && actionInfo != null) {
      // OpenBMC and others list the allowed values in an ActionInfo resource instead.
      get(actionInfo)
          .path("Parameters")
          .forEach(
              p -> {
                if ("ResetType".equals(text(p, "Name"))) {
                  p.path("AllowableValues").forEach(v -> types.add(v.asString()));
                }
              });
    }
    return new RedfishSystem(
        systemUri,
        text(s, "Id"),
        text(s, "PowerState"),
        text(s, "Manufacturer"),
        text(s, "Model"),
        text(s, "SerialNumber"),
        text(s.path("Bios"), "@odata.id"),
        text(reset, "target"),
        types);
  }

  /**
   * The system's PowerState (On, Off...).
   *
   * @param systemUri the ComputerSystem's {@code @odata.id}
   * @return its PowerState
   */
  public String powerState(String systemUri) {
    return system(systemUri).powerState();
  }

  /**
   * Resets the system through its {@code #ComputerSystem.Reset} action's target.
   *
   * @param systemUri the ComputerSystem's {@code @odata.id}
   * @param resetType On, ForceOff, GracefulShutdown, GracefulRestart, ForceRestart, PowerCycle...
   * @throws IllegalArgumentException when the system advertises its allowed types and this is not
   *     one of them
   * @throws WorkflowException of kind PROTOCOL when the system has no reset action
   */
  public void reset(String systemUri, String resetType) {
    RedfishSystem system = system(systemUri);
    if (system.resetTarget() == null) {
      throw new WorkflowException(
          ErrorKind.PROTOCOL,
          "Redfish " + origin + ": system " + systemUri + " has no #ComputerSystem.Reset action");
    }
    if (!system.resetTypes().isEmpty() && !system.resetTypes().contains(resetType)) {
      throw new IllegalArgumentException(
          "resetType must be one of "
              + system.resetTypes()
              + " for "
              + systemUri
              + ", was '"
              + resetType
              + "'");
    }
    authenticated(
        () -> http.post(system.resetTarget(), Map.of("ResetType", resetType), Void.class));
  }

  /**
   * Sets the boot source override ({@code Boot.BootSourceOverrideTarget}, {@code ...Enabled},
   * {@code ...Mode}) with one PATCH of the system, with If-Match when it has an ETag.
   *
   * @param systemUri the ComputerSystem's {@code @odata.id}
   * @param target Pxe, Hdd, Cd, BiosSetup...; checked against the advertised allowable values
   * @param enabled Once, Continuous or Disabled
   * @param mode UEFI or Legacy, or null to leave it
   */
  public void setBootOverride(String systemUri, String target, String enabled, String mode) {
    if (!List.of("Once", "Continuous", "Disabled").contains(enabled)) {
      throw new IllegalArgumentException(
          "enabled must be Once, Continuous or Disabled, was '" + enabled + "'");
    }
    JsonNode boot = get(systemUri).path("Boot");
    var allowed = new ArrayList<String>();
    boot.path("BootSourceOverrideTarget@Redfish.AllowableValues")
        .forEach(v -> allowed.add(v.asString()));
    if (target == null || !allowed.isEmpty() && !allowed.contains(target)) {
      throw new IllegalArgumentException(
          "target must be one of " + allowed + " for " + systemUri + ", was '" + target + "'");
    }
    var override = new LinkedHashMap<String, Object>();
    override.put("BootSourceOverrideTarget", target);
    override.put("BootSourceOverrideEnabled", enabled);
    if (mode != null) {
      override.put("BootSourceOverrideMode", mode);
    }
    patchWithEtag(systemUri, Map.of("Boot", override));
  }

  /**
   * The system's BIOS attributes and where to change them.
   *
   * @param systemUri the ComputerSystem's {@code @odata.id}
   * @return the BIOS resource
   */
  public BiosSettings bios(String systemUri) {
    String biosUri = system(systemUri).biosUri();
    if (biosUri == null) {
      throw new WorkflowException(
          ErrorKind.PROTOCOL,
          "Redfish " + origin + ": system " + systemUri + " has no Bios resource");
    }
    JsonNode bios = get(biosUri);
    JsonNode settingsNode = bios.path("@Redfish.Settings");
    String settingsUri = text(settingsNode.path("SettingsObject"), "@odata.id");
    var applyTimes = new ArrayList<String>();
    settingsNode.path("SupportedApplyTimes").forEach(v -> applyTimes.add(v.asString()));
    return new BiosSettings(
        biosUri,
        toMap(bios.path("Attributes")),
        settingsUri != null ? settingsUri : biosUri,
        applyTimes);
  }

  /**
   * The attributes waiting in the settings object for the next reset (all of them, as shown).
   *
   * @param systemUri the ComputerSystem's {@code @odata.id}
   * @return the pending attributes, by name
   */
  public Map<String, Object> pendingBiosAttributes(String systemUri) {
    return toMap(get(bios(systemUri).settingsUri()).path("Attributes"));
  }

  /**
   * Changes BIOS attributes: PATCHes the {@code @Redfish.Settings} SettingsObject with {@code
   * If-Match} and the apply time. With {@link ApplyTime#ON_RESET} they take effect at the next
   * reset.
   *
   * @param systemUri the ComputerSystem's {@code @odata.id}
   * @param attributes the attributes to change, by name
   * @param applyTime when they take effect
   * @throws IllegalArgumentException when no attribute is given, or the service advertises apply
   *     times and this is not one of them
   * @throws ApiException 412 when the settings changed meanwhile (read them again and retry)
   */
  public void setBiosAttributes(String systemUri, Map<String, ?> attributes, ApplyTime applyTime) {
    if (attributes == null || attributes.isEmpty()) {
      throw new IllegalArgumentException("attributes must not be empty");
    }
    if (applyTime == null) {
      throw new IllegalArgumentException("applyTime must not be null");
    }
    BiosSettings bios = bios(systemUri);
    if (!bios.supportedApplyTimes().isEmpty()
        && !bios.supportedApplyTimes().contains(applyTime.value())) {
      throw new IllegalArgumentException(
          "applyTime must be one of "
              + bios.supportedApplyTimes()
              + " for "
              + systemUri
              + ", was "
              + applyTime.value());
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("Attributes", attributes);
    body.put("@Redfish.SettingsApplyTime", Map.of("ApplyTime", applyTime.value()));
    patchWithEtag(bios.settingsUri(), body);
  }

  /** {@return every FirmwareInventory entry of the UpdateService} */
  public List<FirmwareItem> firmwareInventory() {
    JsonNode update = get(link(root, "UpdateService"));
    var items = new ArrayList<FirmwareItem>();
    for (String uri : members(link(update, "FirmwareInventory"))) {
      JsonNode f = get(uri);
      items.add(
          new FirmwareItem(
              uri,
              text(f, "Id"),
              text(f, "Name"),
              text(f, "Version"),
              f.path("Updateable").asBoolean(false)));
    }
    return items;
  }

  /**
   * Starts {@code UpdateService.SimpleUpdate} through its action's target.
   *
   * @param imageUri where the BMC fetches the image
   * @param transferProtocol HTTP, HTTPS, SFTP...; null to let the service infer it from the URI
   * @param targets the {@code @odata.id}s of the firmware to update; empty for the service's choice
   * @return the task monitor URI (the 202's Location) to follow with {@link #task} or {@link
   *     #awaitTask}
   */
  public String simpleUpdate(String imageUri, String transferProtocol, List<String> targets) {
    if (imageUri == null || imageUri.isBlank()) {
      throw new IllegalArgumentException("imageUri must be given");
    }
    JsonNode update = get(link(root, "UpdateService"));
    String target = text(update.path("Actions").path("#UpdateService.SimpleUpdate"), "target");
    if (target == null) {
      throw new WorkflowException(
          ErrorKind.PROTOCOL,
          "Redfish " + origin + ": the UpdateService has no #UpdateService.SimpleUpdate action");
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("ImageURI", imageUri);
    if (transferProtocol != null) {
      body.put("TransferProtocol", transferProtocol);
    }
    if (targets != null && !targets.isEmpty()) {
      body.put("Targets", targets);
    }
    HttpResponseData answer =
        authenticated(() -> http.send(HttpRequestSpec.post(target, RequestBody.json(body))));
    String monitor = answer.header("Location").orElse(null);
    if (monitor == null) {
      monitor = answer.hasBody() ? text(answer.json(), "@odata.id") : null;
    }
    if (monitor == null) {
      throw new WorkflowException(
          ErrorKind.PROTOCOL,
          "Redfish "
              + origin
              + ": SimpleUpdate answered "
              + answer.status()
              + " without a task monitor (Location)");
    }
    String taskUri = answer.hasBody() ? text(answer.json(), "@odata.id") : null;
    if (taskUri != null && !taskUri.equals(monitor)) {
      taskOfMonitor.put(monitor, taskUri);
    }
    return monitor;
  }

  /**
   * Reads a task monitor: 202 while the task runs, then the final answer. A body that is a Task
   * gives its state; a final answer without one counts as Completed. Services that delete the
   * monitor once the task ends (404) are answered from the Task resource the 202 named.
   *
   * @param monitorUri the task monitor's URI
   * @return the task's state and messages
   */
  public RedfishTask task(String monitorUri) {
    String path = checkUri(monitorUri);
    String taskUri = taskOfMonitor.get(monitorUri);
    HttpResponseData answer =
        authenticated(
            () ->
                http.send(
                    taskUri == null
                        ? HttpRequestSpec.get(path)
                        : HttpRequestSpec.get(path).allowingStatus(404)));
    if (answer.status() == 404) {
      answer = authenticated(() -> http.send(HttpRequestSpec.get(taskUri)));
    }
    JsonNode body = answer.hasBody() ? answer.json() : null;
    if (body != null && body.has("TaskState")) {
      var messages = new ArrayList<String>();
      body.path("Messages")
          .forEach(
              m ->
                  messages.add(
                      m.has("Message")
                          ? m.path("Message").asString()
                          : m.path("MessageId").asString()));
      JsonNode pct = body.path("PercentComplete");
      return new RedfishTask(
          monitorUri,
          text(body, "@odata.id"),
          text(body, "Id"),
          body.path("TaskState").asString(),
          text(body, "TaskStatus"),
          pct.isNumber() ? pct.asInt() : null,
          messages);
    }
    String state = answer.status() == 202 ? "Running" : "Completed";
    return new RedfishTask(monitorUri, null, null, state, null, null, List.of());
  }

  /**
   * Follows a task monitor until the task reaches a final TaskState; fails at once on Exception,
   * Killed or Cancelled with the task's messages.
   *
   * @param ctx the step's context: its clock, sleeper, cancellation and progress
   * @param monitorUri the task monitor's URI
   * @param timeout how long to wait at most
   * @return the task in its final state
   * @throws WorkflowException of kind REMOTE_FAILURE when the task failed
   * @throws dev.opsflow.workflow.StepTimeoutException past the timeout, with the last state
   */
  public RedfishTask awaitTask(StepContext ctx, String monitorUri, Duration timeout) {
    return Await.<RedfishTask>on(ctx, "Redfish task " + monitorUri + " on " + origin)
        .every(Duration.ofSeconds(5))
        .backoff(1.5)
        .atMost(Duration.ofSeconds(30))
        .timeout(timeout)
        .onPoll(
            t -> {
              if (t.percentComplete() != null) {
                ctx.progress(t.percentComplete());
              }
            })
        .failWhen(RedfishTask::isFailed)
        .until(() -> task(monitorUri), t -> t.isFinished() && !t.isFailed(), RedfishTask::describe);
  }

  /** {@return the {@code @odata.id}s of the service's Managers (BMCs)} */
  public List<String> managers() {
    return members(link(root, "Managers"));
  }

  /**
   * The {@code @odata.id}s of a manager's EthernetInterfaces.
   *
   * @param managerUri the Manager's {@code @odata.id}
   * @return its interfaces' {@code @odata.id}s
   */
  public List<String> managerEthernetInterfaces(String managerUri) {
    // A manager without the link has no interface Redfish manages: none, not an error.
    String uri = text(get(managerUri).path("EthernetInterfaces"), "@odata.id");
    return uri == null ? List.of() : members(uri);
  }

  /**
   * A manager's EthernetInterface.
   *
   * @param interfaceUri the EthernetInterface's {@code @odata.id}
   * @return the interface
   */
  public BmcNetworkInterface ethernetInterface(String interfaceUri) {
    JsonNode e = get(interfaceUri);
    return new BmcNetworkInterface(
        interfaceUri,
        text(e, "Id"),
        text(e, "MACAddress"),
        text(e, "HostName"),
        e.path("DHCPv4").path("DHCPEnabled").asBoolean(false),
        addresses(e.path("IPv4Addresses")),
        addresses(e.path("IPv4StaticAddresses")));
  }

  /**
   * Gives a BMC interface a static IPv4 address, netmask and gateway and turns DHCPv4 off, in one
   * PATCH with If-Match. The BMC may move to the new address at once: reconnect there.
   *
   * @param interfaceUri the EthernetInterface's {@code @odata.id}
   * @param address the static IPv4 address
   * @param netmask the IPv4 netmask
   * @param gateway the gateway's IPv4 address
   */
  public void setStaticIpv4(String interfaceUri, String address, String netmask, String gateway) {
    checkIpv4("address", address);
    checkIpv4("netmask", netmask);
    checkIpv4("gateway", gateway);
    var body = new LinkedHashMap<String, Object>();
    body.put("DHCPv4", Map.of("DHCPEnabled", false));
    body.put(
        "IPv4StaticAddresses",
        List.of(Map.of("Address", address, "SubnetMask", netmask, "Gateway", gateway)));
    patchWithEtag(interfaceUri, body);
  }

  /**
   * Turns DHCPv4 on for a BMC interface (one PATCH with If-Match), as it is out of the box: the
   * undo of {@link #setStaticIpv4} on an interface that was on DHCP.
   *
   * @param interfaceUri the EthernetInterface's {@code @odata.id}
   */
  public void enableDhcpv4(String interfaceUri) {
    patchWithEtag(interfaceUri, Map.of("DHCPv4", Map.of("DHCPEnabled", true)));
  }

  /** Deletes the session, if any. Idempotent; failures are logged, not thrown. */
  @Override
  public void close() {
    String session = sessionUri;
    sessionUri = null;
    if (session != null && credentials.mode() == RedfishCredentials.Mode.SESSION) {
      try {
        call(
            () -> {
              http.delete(session);
              return null;
            });
      } catch (WorkflowException e) {
        log.warn("could not delete Redfish session on {}: {}", origin, e.getMessage());
      }
    }
    credentials.clear();
  }

  private void login() {
    if (settings.authMode() == RedfishSettings.AuthMode.BASIC) {
      credentials.useBasic();
      return;
    }
    String sessions = text(root.path("Links").path("Sessions"), "@odata.id");
    if (sessions == null && root.has("SessionService")) {
      // The SessionService resource itself needs authentication; the spec fixes this URI.
      sessions = "/redfish/v1/SessionService/Sessions";
    }
    if (sessions == null) {
      log.info("Redfish service {} has no session service; using basic auth", origin);
      credentials.useBasic();
      return;
    }
    String target = sessions;
    var body =
        Map.of("UserName", credentials.username(), "Password", credentials.password().reveal());
    HttpResponseData answer =
        call(
            () ->
                http.send(
                    HttpRequestSpec.post(target, RequestBody.json(body))
                        .allowingStatus(404, 405, 501)));
    if (answer.status() == 404 || answer.status() == 405 || answer.status() == 501) {
      log.info(
          "Redfish service {} answered {} to session login; using basic auth",
          origin,
          answer.status());
      credentials.useBasic();
      return;
    }
    String token =
        answer
            .header("X-Auth-Token")
            .orElseThrow(
                () ->
                    new WorkflowException(
                        ErrorKind.PROTOCOL,
                        "Redfish "
                            + origin
                            + ": session login answered "
                            + answer.status()
                            + " without an X-Auth-Token"));
    sessionUri =
        answer
            .header("Location")
            .orElse(answer.hasBody() ? text(answer.json(), "@odata.id") : null);
    credentials.useSession(token);
  }

  private void patchWithEtag(String uri, Map<String, Object> body) {
    String path = checkUri(uri);
    authenticated(
        () -> {
          HttpResponseData current = http.send(HttpRequestSpec.get(path));
          String etag =
              current
                  .header("ETag")
                  .orElse(current.hasBody() ? text(current.json(), "@odata.etag") : null);
          HttpRequestSpec patch = HttpRequestSpec.patch(path, RequestBody.json(body));
          if (etag != null) {
            patch = patch.withHeader("If-Match", etag);
          }
          return http.send(patch);
        });
  }

  /** Runs an authenticated call; on a 401 with a session, logs in again once and retries. */
  private <T> T authenticated(Supplier<T> request) {
    try {
      return call(request);
    } catch (ApiException e) {
      if (e.status() != 401 || credentials.mode() != RedfishCredentials.Mode.SESSION) {
        throw e;
      }
      log.info("Redfish session on {} was refused (expired?); logging in again", origin);
      credentials.clear();
      login();
      return call(request);
    }
  }

  private <T> T call(Supplier<T> request) {
    return HostErrors.naming("Redfish", origin, request);
  }

  private List<String> members(String collectionUri) {
    var uris = new ArrayList<String>();
    get(collectionUri).path("Members").forEach(m -> uris.add(m.path("@odata.id").asString()));
    return uris;
  }

  private String link(JsonNode resource, String name) {
    String uri = text(resource.path(name), "@odata.id");
    if (uri == null) {
      throw new WorkflowException(
          ErrorKind.PROTOCOL,
          "Redfish " + origin + ": " + text(resource, "@odata.id") + " has no link '" + name + "'");
    }
    return uri;
  }

  private static List<BmcNetworkInterface.Ipv4Address> addresses(JsonNode list) {
    var result = new ArrayList<BmcNetworkInterface.Ipv4Address>();
    list.forEach(
        a ->
            result.add(
                new BmcNetworkInterface.Ipv4Address(
                    text(a, "Address"),
                    text(a, "SubnetMask"),
                    text(a, "Gateway"),
                    text(a, "AddressOrigin"))));
    return result;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> toMap(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    var map = new LinkedHashMap<String, Object>();
    Json.mapper()
        .treeToValue(node, Map.class)
        .forEach(
            (k, v) -> {
              if (v != null) {
                map.put((String) k, v);
              }
            });
    return map;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || value.isNull() || value.isMissingNode() ? null : value.asString();
  }

  private static String checkUri(String uri) {
    if (uri == null
        || !(uri.startsWith("/redfish/")
            || uri.startsWith("http://")
            || uri.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "uri must be an @odata.id (/redfish/v1/...) or absolute URL, was '" + uri + "'");
    }
    return uri;
  }

  private static void checkIpv4(String field, String value) {
    if (value == null || !IPV4.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be an IPv4 address, was '" + value + "'");
    }
  }
}
