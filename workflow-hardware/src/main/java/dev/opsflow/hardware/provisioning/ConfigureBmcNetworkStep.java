package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.StepContext;
import java.util.Optional;

/**
 * Gives the BMC its static IPv4 address, netmask and gateway ({@code targetBmcIp}, {@code
 * targetBmcNetmask}, {@code targetBmcGateway}), through the chain of {@code bmc_network}: Redfish
 * (the first EthernetInterface of the first manager: one PATCH with If-Match turning DHCPv4 off),
 * then the device type's vendor tool over SSH on the server (racadm's {@code iDRAC.IPv4} group,
 * iLOrest's {@code ethernet --network_ipv4}), then IPMI ({@code lan set} on {@code ipmiChannel}: ip
 * source, netmask, gateway, then the address last, since a BMC may move to it at once); {@code
 * bmcNetworkVia=IPMI} makes the chain IPMI alone.
 *
 * <p>Skipped when no {@code targetBmcIp} is given, and when the BMC is already static on that
 * address, netmask and gateway. Once set, the BMC answers at {@code targetBmcIp}: later steps and
 * the compensation talk to it there ({@link ProvisioningKeys#BMC_ADDRESS_NOW}). Compensation:
 * restores what it read before (DHCP, or the previous static address).
 */
public final class ConfigureBmcNetworkStep extends HardwareStep {

  /**
   * The step, named {@code configure-bmc-network}.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   */
  public ConfigureBmcNetworkStep(HardwareClients clients, DeviceCatalog catalog) {
    super("configure-bmc-network", clients, catalog);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    Optional<String> ip = ctx.get(ProvisioningKeys.TARGET_BMC_IP);
    if (ip.isEmpty()) {
      return Optional.of("no targetBmcIp given: the BMC's network is left as it is");
    }
    BmcNetworkState now = read(ctx);
    if (now.isStatic(ip.get(), netmask(ctx), ctx.require(ProvisioningKeys.TARGET_BMC_GATEWAY))) {
      return Optional.of(
          "BMC network already " + now.describe() + " (read via " + servedBy(ctx) + ")");
    }
    return Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    String ip = ctx.require(ProvisioningKeys.TARGET_BMC_IP);
    String gateway = ctx.require(ProvisioningKeys.TARGET_BMC_GATEWAY);
    String netmask = netmask(ctx);
    BmcNetworkState before = read(ctx);
    ctx.put(ProvisioningKeys.BMC_NETWORK_BEFORE, before);
    ctx.subTask(
        "Configuring the BMC network via "
            + servedBy(ctx)
            + ": "
            + before.describe()
            + " -> static "
            + ip
            + "/"
            + netmask
            + " via "
            + gateway);
    write(ctx, new BmcNetworkState(false, ip, netmask, gateway));
    // The BMC answers at its new address now: later steps and the compensation talk to it there.
    ctx.put(ProvisioningKeys.BMC_ADDRESS_NOW, moved(ctx, ip));
  }

  /** {@code bmcAddress} with its host replaced by {@code ip} (the port kept). */
  private static String moved(StepContext ctx, String ip) {
    return HardwareClients.withPortOf(ctx.require(ProvisioningKeys.BMC_ADDRESS), ip);
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    Optional<BmcNetworkState> before = ctx.get(ProvisioningKeys.BMC_NETWORK_BEFORE);
    if (before.isPresent()) {
      ctx.subTask(
          "Restoring the BMC network at "
              + HardwareClients.bmcAddress(ctx)
              + ": "
              + before.get().describe());
      write(ctx, before.get());
      // Back where it was: its old static address, or (DHCP) the address the run was given.
      ctx.put(
          ProvisioningKeys.BMC_ADDRESS_NOW,
          before.get().dhcp() ? null : moved(ctx, before.get().address()));
    }
  }

  private static String netmask(StepContext ctx) {
    return ctx.get(ProvisioningKeys.TARGET_BMC_NETMASK).orElse("255.255.255.0");
  }

  /**
   * The method that read the network just now (the chain records it), e.g. {@code vendor_tools}.
   */
  @SuppressWarnings("unchecked")
  private static String servedBy(StepContext ctx) {
    Object entry =
        ctx.get(MethodChain.METHODS)
            .orElse(java.util.Map.of())
            .get(Capability.BMC_NETWORK.configName());
    return entry instanceof java.util.Map<?, ?> m && m.get("servedBy") != null
        ? String.valueOf(m.get("servedBy"))
        : String.valueOf(method(ctx)).toLowerCase(java.util.Locale.ROOT);
  }

  private static BmcNetworkMethod method(StepContext ctx) {
    return ctx.get(ProvisioningKeys.BMC_NETWORK_VIA).orElse(BmcNetworkMethod.REDFISH);
  }

  private static int channel(StepContext ctx) {
    return ctx.get(ProvisioningKeys.IPMI_CHANNEL).orElse(1);
  }

  private BmcNetworkState read(StepContext ctx) {
    return chain(ctx, Capability.BMC_NETWORK, ServerAccess::readNetwork);
  }

  private void write(StepContext ctx, BmcNetworkState state) {
    chain(
        ctx,
        Capability.BMC_NETWORK,
        access -> {
          access.writeNetwork(state);
          return null;
        });
  }

  @Override
  public String describe(StepContext ctx) {
    return ctx.get(ProvisioningKeys.TARGET_BMC_IP)
        .map(
            ip ->
                "set the BMC network to static "
                    + ip
                    + "/"
                    + netmask(ctx)
                    + " via "
                    + ctx.get(ProvisioningKeys.TARGET_BMC_GATEWAY).orElse("?")
                    + " ("
                    + method(ctx)
                    + ")")
        .orElse("leave the BMC network as it is (no targetBmcIp)");
  }
}
