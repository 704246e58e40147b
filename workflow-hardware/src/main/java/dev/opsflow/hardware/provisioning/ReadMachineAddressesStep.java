package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.maas.MaasInterface;
import dev.opsflow.hardware.maas.MaasMachine;
import dev.opsflow.workflow.StepContext;
import java.util.LinkedHashSet;

/**
 * Reads the machine's host name and IP addresses from MAAS: its {@code ip_addresses} and the
 * addresses of its interfaces' links. A commissioned machine that is not deployed may have none
 * (MAAS assigns them at deployment); that is not an error here, only for the SSH check. Read-only.
 */
public final class ReadMachineAddressesStep extends HardwareStep {

  /**
   * The step, named {@code read-machine-addresses}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public ReadMachineAddressesStep(HardwareClients clients, DeviceCatalog catalog) {
    super("read-machine-addresses", clients, catalog);
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public void run(StepContext ctx) {
    String id = systemId(ctx);
    ctx.subTask("Reading the addresses of MAAS machine " + id);
    MaasMachine m = clients().maas(ctx).machine(id);
    var ips = new LinkedHashSet<String>(m.ipAddresses());
    for (MaasInterface nic : m.interfaces()) {
      for (MaasInterface.Link link : nic.links()) {
        if (link.ipAddress() != null && !link.ipAddress().isBlank()) {
          ips.add(link.ipAddress());
        }
      }
    }
    ctx.put(ProvisioningKeys.HOSTNAME, m.hostname());
    ctx.put(ProvisioningKeys.MACHINE_IPS, java.util.List.copyOf(ips));
    ctx.log().info("MAAS machine {} ({}) has addresses {}", id, m.hostname(), ips);
  }

  @Override
  public String describe(StepContext ctx) {
    return "read the IP addresses of MAAS machine "
        + ctx.get(ProvisioningKeys.SYSTEM_ID).orElse("?");
  }
}
