package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.redfish.FirmwareItem;
import dev.opsflow.hardware.ssh.ExecResult;
import dev.opsflow.hardware.ssh.SshClient;
import dev.opsflow.hardware.vendor.Ipv4Settings;
import dev.opsflow.hardware.vendor.VendorTool;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    if (ips.isEmpty() && ctx.get(ProvisioningKeys.MAAS_URL).isPresent()) {
      // Before read-machine-addresses (firmware analysis runs before commissioning): the
      // addresses MAAS has now, which a machine with a running OS has and a new one has not.
      ips = clients.maas(ctx).machine(ctx.require(ProvisioningKeys.SYSTEM_ID)).ipAddresses();
    }
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
  public List<FirmwareItem> firmwareInventory() {
    VendorTool t = tool();
    String command =
        t.firmwareInventoryCommand().orElseThrow(() -> unavailable(Capability.FIRMWARE_INVENTORY));
    String out = run(command);
    var items = new java.util.ArrayList<FirmwareItem>();
    parsed(() -> t.parseFirmwareInventory(out))
        .forEach(
            (component, version) ->
                items.add(
                    new FirmwareItem(
                        t.executable() + ":" + component, component, component, version, true)));
    return items;
  }

  /**
   * Downloads the image (its SHA-256 checked again: it may have changed since {@code
   * verify-firmware-images}), uploads it over SFTP into a fresh directory on the server under its
   * own file name (Dell Update Packages are named for their component and version), runs the tool's
   * flash command and removes the directory.
   */
  @Override
  public String startFirmwareUpdate(FirmwarePlan.Update update) {
    VendorTool t = tool();
    FirmwareTarget target = update.target();
    Path local;
    try {
      local = Files.createTempFile("opsflow-firmware-", ".img");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ctx.subTask("Downloading " + target.imageUri());
      String sha = VerifyFirmwareImagesStep.download(target, local);
      if (target.sha256() != null && !sha.equals(target.sha256())) {
        throw new ValidationException(
            "firmware image of "
                + target.component()
                + " at "
                + target.imageUri()
                + " has SHA-256 "
                + sha
                + ", the device catalog expects "
                + target.sha256());
      }
      String dir = run("mktemp -d").strip();
      String remote = dir + "/" + fileName(target.imageUri());
      try {
        ctx.subTask("Uploading " + fileName(target.imageUri()) + " to " + host);
        ssh.upload(local, remote);
        ctx.subTask("Flashing " + update.describe() + " with " + t.executable() + " on " + host);
        String out = run(t.firmwareUpdateCommand(remote));
        try {
          t.checkFirmwareUpdate(out);
        } catch (IllegalArgumentException e) {
          throw new WorkflowException(
              ErrorKind.REMOTE_FAILURE, t.executable() + " on " + host + ": " + e.getMessage());
        }
      } finally {
        ssh.exec("rm -rf " + VendorTool.quote(dir), Duration.ofSeconds(30));
      }
    } finally {
      try {
        Files.deleteIfExists(local);
      } catch (IOException e) {
        // A temp file left behind is not worth failing a flashed update for.
      }
    }
    return ServerAccess.IN_BAND + t.executable();
  }

  /** The image URI's last path segment when it is a plain file name, else {@code firmware.bin}. */
  static String fileName(String imageUri) {
    String path = java.net.URI.create(imageUri).getPath();
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    return name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,200}") ? name : "firmware.bin";
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
