package dev.opsflow.hardware.provisioning;

import dev.failsafe.RetryPolicy;
import dev.opsflow.hardware.ipmi.CommandRunner;
import dev.opsflow.hardware.ipmi.IpmiClient;
import dev.opsflow.hardware.ipmi.IpmiSettings;
import dev.opsflow.hardware.maas.MaasClient;
import dev.opsflow.hardware.redfish.RedfishClient;
import dev.opsflow.hardware.redfish.RedfishSettings;
import dev.opsflow.hardware.ssh.HostKeyPolicy;
import dev.opsflow.hardware.ssh.SshAuth;
import dev.opsflow.hardware.ssh.SshClient;
import dev.opsflow.hardware.ssh.SshSettings;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.HttpSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Gives the provisioning steps their clients, built from the run's inputs ({@link
 * ProvisioningKeys}): MAAS from {@code maasUrl}/{@code maasApiKey}, Redfish from {@code
 * https://<bmcAddress>} with {@code bmcUsername}/{@code bmcPassword} (trusting {@code
 * bmcCaCertFile} when given, else the JDK's trust store), IPMI from the BMC's host, {@code
 * ipmiPort} and the same credentials, SSH from {@code sshUser} and {@code sshKeyFile} or {@code
 * sshPassword}, pinning {@code sshHostKey} when given (else {@code ~/.ssh/known_hosts}).
 *
 * <p>The {@code with...} copies adjust what is built: a simulator's certificate, another command
 * runner, longer timeouts. MAAS clients are shared per URL and key; Redfish and SSH clients are
 * opened per step and closed by it. Immutable and thread-safe.
 */
public final class HardwareClients {
  private final UnaryOperator<HttpSettings> maas;
  private final UnaryOperator<RedfishSettings> redfish;
  private final UnaryOperator<IpmiSettings> ipmi;
  private final CommandRunner runner;
  private final UnaryOperator<SshSettings> ssh;
  private final List<AccessMethod> methods;
  private final Map<Capability, List<AccessMethod>> capabilityMethods;
  private final RetryPolicy<Object> methodRetry;
  private final ConcurrentHashMap<String, MaasClient> maasClients = new ConcurrentHashMap<>();

  /** Redfish, then the vendor tool over SSH, then IPMI: the seed's order. */
  public static final List<AccessMethod> DEFAULT_METHODS =
      List.of(AccessMethod.REDFISH, AccessMethod.VENDOR_TOOLS, AccessMethod.IPMI);

  private HardwareClients(
      UnaryOperator<HttpSettings> maas,
      UnaryOperator<RedfishSettings> redfish,
      UnaryOperator<IpmiSettings> ipmi,
      CommandRunner runner,
      UnaryOperator<SshSettings> ssh) {
    this(
        maas,
        redfish,
        ipmi,
        runner,
        ssh,
        DEFAULT_METHODS,
        Retries.exponential(3, Duration.ofSeconds(2), Duration.ofSeconds(20)));
  }

  private HardwareClients(
      UnaryOperator<HttpSettings> maas,
      UnaryOperator<RedfishSettings> redfish,
      UnaryOperator<IpmiSettings> ipmi,
      CommandRunner runner,
      UnaryOperator<SshSettings> ssh,
      List<AccessMethod> methods,
      RetryPolicy<Object> methodRetry) {
    this(maas, redfish, ipmi, runner, ssh, methods, Map.of(), methodRetry);
  }

  private HardwareClients(
      UnaryOperator<HttpSettings> maas,
      UnaryOperator<RedfishSettings> redfish,
      UnaryOperator<IpmiSettings> ipmi,
      CommandRunner runner,
      UnaryOperator<SshSettings> ssh,
      List<AccessMethod> methods,
      Map<Capability, List<AccessMethod>> capabilityMethods,
      RetryPolicy<Object> methodRetry) {
    this.capabilityMethods = capabilityMethods;
    this.maas = maas;
    this.redfish = redfish;
    this.ipmi = ipmi;
    this.runner = runner;
    this.ssh = ssh;
    this.methods = methods;
    this.methodRetry = methodRetry;
  }

  /**
   * A copy whose capabilities try {@code order} (the seed's {@code fallback_methods}) unless the
   * device type names its own chain for a capability.
   *
   * @param order the access methods to try, in order
   * @return the copy
   * @throws IllegalArgumentException if {@code order} is empty or names a method twice
   */
  public HardwareClients withMethods(List<AccessMethod> order) {
    if (order == null || order.isEmpty() || Set.copyOf(order).size() != order.size()) {
      throw new IllegalArgumentException(
          "methods must name each of " + DEFAULT_METHODS + " at most once, was " + order);
    }
    return new HardwareClients(
        maas, redfish, ipmi, runner, ssh, List.copyOf(order), capabilityMethods, methodRetry);
  }

  /**
   * A copy whose {@code capability} tries {@code order} (a configured step's {@code
   * fallback_methods}) unless the device type names its own chain for it.
   *
   * @param capability the capability
   * @param order the access methods to try, in order
   * @return the copy
   */
  public HardwareClients withMethods(Capability capability, List<AccessMethod> order) {
    withMethods(order);
    var all = new java.util.EnumMap<Capability, List<AccessMethod>>(Capability.class);
    all.putAll(capabilityMethods);
    all.put(Objects.requireNonNull(capability, "capability"), List.copyOf(order));
    return new HardwareClients(
        maas, redfish, ipmi, runner, ssh, methods, Map.copyOf(all), methodRetry);
  }

  /**
   * The chain of {@code capability} when the device type names none.
   *
   * @param capability the capability
   * @return its access methods, in order
   */
  public List<AccessMethod> methods(Capability capability) {
    return capabilityMethods.getOrDefault(capability, methods);
  }

  /**
   * A copy that retries a method's retryable failures under {@code policy} before the next.
   *
   * @param policy the retry policy of each method
   * @return the copy
   */
  public HardwareClients withMethodRetry(RetryPolicy<Object> policy) {
    return new HardwareClients(
        maas,
        redfish,
        ipmi,
        runner,
        ssh,
        methods,
        capabilityMethods,
        Objects.requireNonNull(policy, "policy must not be null"));
  }

  /** {@return the default chain of every capability, {@link #DEFAULT_METHODS} unless changed} */
  public List<AccessMethod> methods() {
    return methods;
  }

  /** {@return the retry policy of one method of a chain} */
  public RetryPolicy<Object> methodRetry() {
    return methodRetry;
  }

  /** One method's way to the run's server (package-private: the chain opens and closes it). */
  ServerAccess access(StepContext ctx, DeviceType type, AccessMethod method) {
    return switch (method) {
      case REDFISH -> new RedfishAccess(ctx, () -> redfish(ctx));
      case IPMI -> new IpmiAccess(ipmi(ctx), ctx.get(ProvisioningKeys.IPMI_CHANNEL).orElse(1));
      case VENDOR_TOOLS -> new VendorToolAccess(ctx, type, this);
    };
  }

  /**
   * Clients built from the run's inputs as they are.
   *
   * @return the clients
   */
  public static HardwareClients fromContext() {
    return new HardwareClients(
        UnaryOperator.identity(),
        UnaryOperator.identity(),
        UnaryOperator.identity(),
        CommandRunner.local(),
        UnaryOperator.identity());
  }

  /**
   * A copy that adjusts the MAAS client's HTTP settings.
   *
   * @param adjust changes the MAAS client's HTTP settings
   * @return the copy
   */
  public HardwareClients withMaas(UnaryOperator<HttpSettings> adjust) {
    return new HardwareClients(
        Objects.requireNonNull(adjust, "adjust must not be null"),
        redfish,
        ipmi,
        runner,
        ssh,
        methods,
        capabilityMethods,
        methodRetry);
  }

  /**
   * A copy that adjusts the Redfish settings (for example trusting a simulator's certificate).
   *
   * @param adjust changes the Redfish settings
   * @return the copy
   */
  public HardwareClients withRedfish(UnaryOperator<RedfishSettings> adjust) {
    return new HardwareClients(
        maas,
        Objects.requireNonNull(adjust, "adjust must not be null"),
        ipmi,
        runner,
        ssh,
        methods,
        capabilityMethods,
        methodRetry);
  }

  /**
   * A copy that adjusts the IPMI settings.
   *
   * @param adjust changes the IPMI settings
   * @return the copy
   */
  public HardwareClients withIpmi(UnaryOperator<IpmiSettings> adjust) {
    return new HardwareClients(
        maas,
        redfish,
        Objects.requireNonNull(adjust, "adjust must not be null"),
        runner,
        ssh,
        methods,
        capabilityMethods,
        methodRetry);
  }

  /**
   * A copy whose IPMI client runs ipmitool through {@code commandRunner}.
   *
   * @param commandRunner runs the ipmitool process
   * @return the copy
   */
  public HardwareClients withCommandRunner(CommandRunner commandRunner) {
    return new HardwareClients(
        maas,
        redfish,
        ipmi,
        Objects.requireNonNull(commandRunner, "commandRunner must not be null"),
        ssh,
        methods,
        capabilityMethods,
        methodRetry);
  }

  /**
   * A copy that adjusts the SSH settings.
   *
   * @param adjust changes the SSH settings
   * @return the copy
   */
  public HardwareClients withSsh(UnaryOperator<SshSettings> adjust) {
    return new HardwareClients(
        maas,
        redfish,
        ipmi,
        runner,
        Objects.requireNonNull(adjust, "adjust must not be null"),
        methods,
        capabilityMethods,
        methodRetry);
  }

  /**
   * The MAAS client of the run.
   *
   * @param ctx the step's context, with the MAAS inputs
   * @return the client
   */
  public MaasClient maas(StepContext ctx) {
    String url = ctx.require(ProvisioningKeys.MAAS_URL);
    Secret key = ctx.require(ProvisioningKeys.MAAS_API_KEY);
    HttpSettings settings = maas.apply(HttpSettings.of(url));
    if (maasClients.size() > 32) {
      maasClients.clear();
    }
    // The key's hash, not the key, names the client: the map is never printed, but stays clean.
    return maasClients.computeIfAbsent(
        settings.hashCode() + "|" + url + "|" + key.reveal().hashCode(),
        k -> MaasClient.create(settings, key));
  }

  /**
   * A new Redfish session to the run's BMC; the caller closes it.
   *
   * @param ctx the step's context, with the BMC inputs
   * @return the session; close it when done
   */
  public RedfishClient redfish(StepContext ctx) {
    String origin = "https://" + bmcAddress(ctx);
    HttpSettings http = HttpSettings.of(origin);
    Path ca = ctx.get(ProvisioningKeys.BMC_CA_CERT_FILE).orElse(null);
    if (ca != null) {
      http = http.withTrustedPemFile(ca);
    }
    var settings =
        RedfishSettings.of(
                origin,
                ctx.require(ProvisioningKeys.BMC_USERNAME),
                ctx.require(ProvisioningKeys.BMC_PASSWORD))
            .withHttp(http);
    return RedfishClient.connect(redfish.apply(settings));
  }

  /**
   * The IPMI client of the run's BMC.
   *
   * @param ctx the step's context, with the BMC inputs
   * @return the client
   */
  public IpmiClient ipmi(StepContext ctx) {
    var settings =
        IpmiSettings.of(
                bmcHost(bmcAddress(ctx)),
                ctx.require(ProvisioningKeys.BMC_USERNAME),
                ctx.require(ProvisioningKeys.BMC_PASSWORD))
            .withPort(ctx.get(ProvisioningKeys.IPMI_PORT).orElse(IpmiSettings.DEFAULT_PORT));
    return IpmiClient.create(ipmi.apply(settings), runner);
  }

  /**
   * A new SSH connection to {@code host} with the run's SSH inputs; the caller closes it.
   *
   * @param ctx the step's context, with the SSH inputs
   * @param host the server's address
   * @return the connection; close it when done
   */
  public SshClient ssh(StepContext ctx, String host) {
    String user = ctx.require(ProvisioningKeys.SSH_USER);
    SshAuth auth;
    Path key = ctx.get(ProvisioningKeys.SSH_KEY_FILE).orElse(null);
    if (key != null) {
      auth =
          ctx.get(ProvisioningKeys.SSH_KEY_PASSPHRASE)
              .map(p -> SshAuth.key(key, p))
              .orElseGet(() -> SshAuth.key(key));
    } else {
      auth =
          SshAuth.password(
              ctx.get(ProvisioningKeys.SSH_PASSWORD)
                  .orElseThrow(
                      () ->
                          new WorkflowException(
                              ErrorKind.CONFIGURATION,
                              "sshUser is given but neither sshKeyFile nor sshPassword")));
    }
    var settings =
        SshSettings.of(host, user, auth).withPort(ctx.get(ProvisioningKeys.SSH_PORT).orElse(22));
    String pinned = ctx.get(ProvisioningKeys.SSH_HOST_KEY).orElse(null);
    if (pinned != null) {
      settings = settings.withHostKeys(HostKeyPolicy.pinned(pinned));
    }
    return SshClient.connect(ssh.apply(settings));
  }

  /**
   * Where the run's BMC answers now: the address {@code configure-bmc-network} moved it to, else
   * {@code bmcAddress}.
   *
   * @param ctx the step's context, with the BMC inputs
   * @return the BMC's address
   */
  public static String bmcAddress(StepContext ctx) {
    return ctx.get(ProvisioningKeys.BMC_ADDRESS_NOW)
        .orElseGet(() -> ctx.require(ProvisioningKeys.BMC_ADDRESS));
  }

  /** {@code bmcAddress}'s port kept on a new host: {@code 10.0.0.5:8443} to {@code ip:8443}. */
  static String withPortOf(String bmcAddress, String newHost) {
    String host = bmcHost(bmcAddress);
    String rest =
        bmcAddress.startsWith("[")
            ? bmcAddress.substring(bmcAddress.indexOf(']') + 1)
            : bmcAddress.substring(host.length());
    return newHost + (rest.startsWith(":") ? rest : "");
  }

  /** The host part of {@code host} or {@code host:port} ({@code [v6]:port} too). */
  static String bmcHost(String address) {
    if (address.startsWith("[")) {
      int end = address.indexOf(']');
      return end > 0 ? address.substring(1, end) : address;
    }
    int colon = address.indexOf(':');
    return colon >= 0 && address.indexOf(':', colon + 1) < 0
        ? address.substring(0, colon)
        : address;
  }
}
