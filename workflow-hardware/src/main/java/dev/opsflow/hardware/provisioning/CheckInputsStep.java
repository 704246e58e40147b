package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks what the declared inputs cannot check one by one, before any request: the device type is
 * in the catalog, a target BMC address comes with a gateway in its subnet and differs from it, SSH
 * has a key or a password. Read-only; every problem is named at once.
 */
public final class CheckInputsStep extends HardwareStep {
  private final DeviceCatalog catalog;

  /**
   * The step, named {@code check-inputs}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public CheckInputsStep(HardwareClients clients, DeviceCatalog catalog) {
    super("check-inputs", clients, catalog);
    this.catalog = catalog;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void run(StepContext ctx) {
    List<String> problems = problems(ctx, catalog);
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
  }

  static List<String> problems(StepContext ctx, DeviceCatalog catalog) {
    var problems = new ArrayList<String>();
    String type = ctx.require(ProvisioningKeys.DEVICE_TYPE);
    if (catalog.find(type).isEmpty()) {
      problems.add(
          "input 'deviceType': '"
              + type
              + "' is not a device type of "
              + catalog.source()
              + "; expected one of "
              + catalog.names());
    }
    String ip = ctx.get(ProvisioningKeys.TARGET_BMC_IP).orElse(null);
    String gateway = ctx.get(ProvisioningKeys.TARGET_BMC_GATEWAY).orElse(null);
    String netmask = ctx.get(ProvisioningKeys.TARGET_BMC_NETMASK).orElse("255.255.255.0");
    if (ip != null) {
      if (gateway == null) {
        problems.add(
            "input 'targetBmcGateway' is required with targetBmcIp '"
                + ip
                + "': expected the BMC network's default gateway");
      } else if (ip.equals(gateway)) {
        problems.add("input 'targetBmcIp': '" + ip + "' is the gateway; expected another address");
      } else if (Ipv4.isNetmask(netmask)
          && (Ipv4.toLong(ip) & Ipv4.toLong(netmask))
              != (Ipv4.toLong(gateway) & Ipv4.toLong(netmask))) {
        problems.add(
            "input 'targetBmcGateway': '"
                + gateway
                + "' is not in the subnet of targetBmcIp '"
                + ip
                + "'/"
                + netmask
                + "; expected a gateway the BMC can reach");
      }
    } else if (gateway != null) {
      problems.add("input 'targetBmcGateway' is given without targetBmcIp: give both or neither");
    }
    if (ctx.get(ProvisioningKeys.SSH_USER).isPresent()
        && ctx.get(ProvisioningKeys.SSH_KEY_FILE).isEmpty()
        && ctx.get(ProvisioningKeys.SSH_PASSWORD).isEmpty()) {
      problems.add("input 'sshUser' is given without sshKeyFile or sshPassword: give one of them");
    }
    return problems;
  }

  @Override
  public String describe(StepContext ctx) {
    return "check the inputs together (device type, BMC address and gateway, SSH credentials)";
  }
}
