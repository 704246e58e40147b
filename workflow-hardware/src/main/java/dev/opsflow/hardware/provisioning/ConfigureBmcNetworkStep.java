package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.ipmi.IpSource;
import dev.opsflow.hardware.ipmi.IpmiClient;
import dev.opsflow.hardware.ipmi.LanConfig;
import dev.opsflow.hardware.redfish.BmcNetworkInterface;
import dev.opsflow.hardware.redfish.RedfishClient;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.Optional;

/**
 * Gives the BMC its static IPv4 address, netmask and gateway ({@code targetBmcIp}, {@code
 * targetBmcNetmask}, {@code targetBmcGateway}), through Redfish (the first EthernetInterface of the
 * first manager: one PATCH with If-Match turning DHCPv4 off) or IPMI ({@code lan set} on {@code
 * ipmiChannel}: ip source, netmask, gateway, then the address last, since a BMC may move to it at
 * once), as {@code bmcNetworkVia} says.
 *
 * <p>Skipped when no {@code targetBmcIp} is given, and when the BMC is already static on that
 * address, netmask and gateway. Compensation: restores what it read before (DHCP, or the previous
 * static address), talking to {@code bmcAddress}.
 */
public final class ConfigureBmcNetworkStep extends HardwareStep {

  /** The step, named {@code configure-bmc-network}. */
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
          "BMC network already " + now.describe() + " (read via " + method(ctx) + ")");
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
            + method(ctx)
            + ": "
            + before.describe()
            + " -> static "
            + ip
            + "/"
            + netmask
            + " via "
            + gateway);
    write(ctx, new BmcNetworkState(false, ip, netmask, gateway));
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    Optional<BmcNetworkState> before = ctx.get(ProvisioningKeys.BMC_NETWORK_BEFORE);
    if (before.isPresent()) {
      ctx.subTask("Restoring the BMC network: " + before.get().describe());
      write(ctx, before.get());
    }
  }

  private static String netmask(StepContext ctx) {
    return ctx.get(ProvisioningKeys.TARGET_BMC_NETMASK).orElse("255.255.255.0");
  }

  private static BmcNetworkMethod method(StepContext ctx) {
    return ctx.get(ProvisioningKeys.BMC_NETWORK_VIA).orElse(BmcNetworkMethod.REDFISH);
  }

  private static int channel(StepContext ctx) {
    return ctx.get(ProvisioningKeys.IPMI_CHANNEL).orElse(1);
  }

  private BmcNetworkState read(StepContext ctx) {
    if (method(ctx) == BmcNetworkMethod.IPMI) {
      LanConfig lan = clients().ipmi(ctx).lanPrint(channel(ctx));
      return new BmcNetworkState(
          lan.ipSource() == IpSource.DHCP, lan.ipAddress(), lan.subnetMask(), lan.defaultGateway());
    }
    return withRedfish(
        ctx,
        bmc -> {
          BmcNetworkInterface nic = bmc.ethernetInterface(interfaceUri(ctx, bmc));
          var configured = nic.ipv4StaticAddresses();
          if (nic.dhcpEnabled() || configured.isEmpty()) {
            return new BmcNetworkState(true, null, null, null);
          }
          var a = configured.get(0);
          return new BmcNetworkState(false, a.address(), a.subnetMask(), a.gateway());
        });
  }

  private void write(StepContext ctx, BmcNetworkState state) {
    if (method(ctx) == BmcNetworkMethod.IPMI) {
      IpmiClient ipmi = clients().ipmi(ctx);
      int channel = channel(ctx);
      if (state.dhcp()) {
        ipmi.setIpSource(channel, IpSource.DHCP);
        return;
      }
      ipmi.setIpSource(channel, IpSource.STATIC);
      ipmi.setNetmask(channel, state.netmask());
      ipmi.setDefaultGateway(channel, state.gateway());
      ipmi.setIpAddress(channel, state.address());
      return;
    }
    withRedfish(
        ctx,
        bmc -> {
          String nic = interfaceUri(ctx, bmc);
          if (state.dhcp()) {
            bmc.enableDhcpv4(nic);
          } else {
            bmc.setStaticIpv4(nic, state.address(), state.netmask(), state.gateway());
          }
          return null;
        });
  }

  private static String interfaceUri(StepContext ctx, RedfishClient bmc) {
    var managers = bmc.managers();
    var nics =
        managers.isEmpty()
            ? java.util.List.<String>of()
            : bmc.managerEthernetInterfaces(managers.get(0));
    if (nics.isEmpty()) {
      throw new WorkflowException(
          ErrorKind.PROTOCOL,
          "Redfish service at "
              + ctx.get(ProvisioningKeys.BMC_ADDRESS).orElse("?")
              + " has no manager EthernetInterface to configure; use bmcNetworkVia=IPMI");
    }
    return nics.get(0);
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
