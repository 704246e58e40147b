package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.ssh.ExecResult;
import dev.opsflow.hardware.ssh.SshClient;
import dev.opsflow.hardware.vendor.Ipv4Settings;
import dev.opsflow.hardware.vendor.VendorTool;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vendor tool's way: the device type's first {@code vendorTools} entry, run over SSH on the
 * server (its first MAAS address, with the run's {@code sshUser} and host key), in band.
 * Unavailable when the type names no tool, the run has no {@code sshUser} or the server no address,
 * or the tool is not installed ({@code command -v} finds nothing). The SSH connection opens on
 * first use.
 */
final class VendorToolAccess implements ServerAccess {
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

  private final StepContext ctx;
  private final DeviceType type;
  private final HardwareClients clients;
  private SshClient ssh;
  private VendorTool tool;
  private String host;
  private String lastRead;

  VendorToolAccess(StepContext ctx, DeviceType type, HardwareClients clients) {
    this.ctx = ctx;
    this.type = type;
    this.clients = clients;
  }

  @Override
  public AccessMethod method() {
    return AccessMethod.VENDOR_TOOLS;
  }

  private VendorTool tool() {
    if (tool != null) {
      return tool;
    }
    if (type.vendorTools().isEmpty()) {
      throw new MethodUnavailableException(
          "device type " + type.name() + " names no vendor tool (vendorTools)");
    }
    VendorTool t = VendorTool.named(type.vendorTools().get(0)).orElseThrow();
    if (ctx.get(ProvisioningKeys.SSH_USER).isEmpty()) {
      throw new MethodUnavailableException(
          t.executable() + " runs over SSH on the server, and no sshUser is given");
    }
    List<String> ips = ctx.get(ProvisioningKeys.MACHINE_IPS).orElse(List.of());
    if (ips.isEmpty()) {
      throw new MethodUnavailableException(
          t.executable() + " runs over SSH on the server, and MAAS knows no address of it");
    }
    host = ips.get(0);
    ssh = clients.ssh(ctx, host);
    ExecResult which = ssh.exec(t.installedCheck(), Duration.ofSeconds(30));
    if (!which.ok()) {
      throw new MethodUnavailableException(
          t.executable() + " is not installed on " + host + " (" + t.installedCheck() + ")");
    }
    tool = t;
    return t;
  }

  private String run(String command) {
    ExecResult r = ssh.exec(command, COMMAND_TIMEOUT);
    if (!r.ok()) {
      throw new WorkflowException(
          ErrorKind.REMOTE_FAILURE,
          tool.executable()
              + " on "
              + host
              + " exited with "
              + r.exitCode()
              + ": "
              + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip());
    }
    return r.stdout();
  }

  private <T> T parsed(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new WorkflowException(
          ErrorKind.PROTOCOL, tool.executable() + " on " + host + ": " + e.getMessage());
    }
  }

  @Override
  public Map<String, Object> readBios() {
    VendorTool t = tool();
    ctx.subTask("Exporting the BIOS configuration with " + t.executable() + " on " + host);
    String out = run(t.readBiosCommand());
    lastRead = out;
    return new LinkedHashMap<>(parsed(() -> t.parseBios(out)));
  }

  @Override
  public void stageBios(Map<String, Object> values) {
    VendorTool t = tool();
    String read = lastRead != null ? lastRead : run(t.readBiosCommand());
    var text = new LinkedHashMap<String, String>();
    values.forEach((k, v) -> text.put(k, String.valueOf(v)));
    List<String> commands;
    try {
      commands = t.stageBiosCommands(read, text);
    } catch (IllegalArgumentException e) {
      throw new WorkflowException(ErrorKind.CONFIGURATION, e.getMessage());
    }
    ctx.subTask("Uploading the BIOS settings with " + t.executable() + " on " + host);
    for (String command : commands) {
      String out = run(command);
      try {
        t.checkStaged(command, out);
      } catch (IllegalArgumentException e) {
        throw new WorkflowException(
            ErrorKind.REMOTE_FAILURE, t.executable() + " on " + host + ": " + e.getMessage());
      }
    }
  }

  @Override
  public String powerState() {
    VendorTool t = tool();
    String command = t.powerStateCommand().orElseThrow(() -> unavailable(Capability.POWER));
    String out = run(command);
    return parsed(() -> t.parsePowerState(out));
  }

  @Override
  public void reset(String type) {
    VendorTool t = tool();
    run(t.resetCommand(type).orElseThrow(() -> unavailable(Capability.POWER)));
  }

  @Override
  public BmcNetworkState readNetwork() {
    VendorTool t = tool();
    String command = t.readNetworkCommand().orElseThrow(() -> unavailable(Capability.BMC_NETWORK));
    String out = run(command);
    Ipv4Settings s = parsed(() -> t.parseNetwork(out));
    return s.dhcp()
        ? new BmcNetworkState(true, null, null, null)
        : new BmcNetworkState(false, s.address(), s.netmask(), s.gateway());
  }

  @Override
  public void writeNetwork(BmcNetworkState state) {
    VendorTool t = tool();
    List<String> commands =
        t.writeNetworkCommands(
            state.dhcp()
                ? Ipv4Settings.dhcpOn()
                : Ipv4Settings.fixed(state.address(), state.netmask(), state.gateway()));
    if (commands.isEmpty()) {
      throw unavailable(Capability.BMC_NETWORK);
    }
    ctx.subTask("Setting the BMC network with " + t.executable() + " on " + host);
    for (String command : commands) {
      String out = run(command);
      try {
        t.checkNetworkWritten(command, out);
      } catch (IllegalArgumentException e) {
        throw new WorkflowException(
            ErrorKind.REMOTE_FAILURE, t.executable() + " on " + host + ": " + e.getMessage());
      }
    }
  }

  @Override
  public MethodUnavailableException unavailable(Capability capability) {
    String name = tool != null ? tool.executable() : "the vendor tool";
    return new MethodUnavailableException(
        name + " cannot " + capability.configName().replace('_', ' '));
  }

  @Override
  public void close() {
    if (ssh != null) {
      ssh.close();
    }
  }
}
