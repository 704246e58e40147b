package dev.opsflow.hardware.provisioning;

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
import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import dev.opsflow.workflow.http.HttpSettings;
import java.nio.file.Path;
import java.util.Objects;
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
  private final ConcurrentHashMap<String, MaasClient> maasClients = new ConcurrentHashMap<>();

  private HardwareClients(
      UnaryOperator<HttpSettings> maas,
      UnaryOperator<RedfishSettings> redfish,
      UnaryOperator<IpmiSettings> ipmi,
      CommandRunner runner,
      UnaryOperator<SshSettings> ssh) {
    this.maas = maas;
    this.redfish = redfish;
    this.ipmi = ipmi;
    this.runner = runner;
    this.ssh = ssh;
  }

  /** Clients built from the run's inputs as they are. */
  public static HardwareClients fromContext() {
    return new HardwareClients(
        UnaryOperator.identity(),
        UnaryOperator.identity(),
        UnaryOperator.identity(),
        CommandRunner.local(),
        UnaryOperator.identity());
  }

  /** A copy that adjusts the MAAS client's HTTP settings. */
  public HardwareClients withMaas(UnaryOperator<HttpSettings> adjust) {
    return new HardwareClients(
        Objects.requireNonNull(adjust, "adjust must not be null"), redfish, ipmi, runner, ssh);
  }

  /** A copy that adjusts the Redfish settings (for example trusting a simulator's certificate). */
  public HardwareClients withRedfish(UnaryOperator<RedfishSettings> adjust) {
    return new HardwareClients(
        maas, Objects.requireNonNull(adjust, "adjust must not be null"), ipmi, runner, ssh);
  }

  /** A copy that adjusts the IPMI settings. */
  public HardwareClients withIpmi(UnaryOperator<IpmiSettings> adjust) {
    return new HardwareClients(
        maas, redfish, Objects.requireNonNull(adjust, "adjust must not be null"), runner, ssh);
  }

  /** A copy whose IPMI client runs ipmitool through {@code commandRunner}. */
  public HardwareClients withCommandRunner(CommandRunner commandRunner) {
    return new HardwareClients(
        maas,
        redfish,
        ipmi,
        Objects.requireNonNull(commandRunner, "commandRunner must not be null"),
        ssh);
  }

  /** A copy that adjusts the SSH settings. */
  public HardwareClients withSsh(UnaryOperator<SshSettings> adjust) {
    return new HardwareClients(
        maas, redfish, ipmi, runner, Objects.requireNonNull(adjust, "adjust must not be null"));
  }

  /** The MAAS client of the run. */
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

  /** A new Redfish session to the run's BMC; the caller closes it. */
  public RedfishClient redfish(StepContext ctx) {
    String origin = "https://" + ctx.require(ProvisioningKeys.BMC_ADDRESS);
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

  /** The IPMI client of the run's BMC. */
  public IpmiClient ipmi(StepContext ctx) {
    var settings =
        IpmiSettings.of(
                bmcHost(ctx.require(ProvisioningKeys.BMC_ADDRESS)),
                ctx.require(ProvisioningKeys.BMC_USERNAME),
                ctx.require(ProvisioningKeys.BMC_PASSWORD))
            .withPort(ctx.get(ProvisioningKeys.IPMI_PORT).orElse(IpmiSettings.DEFAULT_PORT));
    return IpmiClient.create(ipmi.apply(settings), runner);
  }

  /** A new SSH connection to {@code host} with the run's SSH inputs; the caller closes it. */
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
