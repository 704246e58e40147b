package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.ipmi.IpSource;
import dev.opsflow.hardware.ipmi.IpmiClient;
import dev.opsflow.hardware.ipmi.LanConfig;
import dev.opsflow.hardware.ipmi.PowerState;
import dev.opsflow.hardware.redfish.FirmwareItem;
import java.util.List;
import java.util.Map;

/**
 * IPMI's way: chassis power and the LAN parameters of {@code ipmiChannel}. IPMI has no BIOS
 * settings: those capabilities are unavailable with that reason.
 */
final class IpmiAccess implements ServerAccess {
  private final IpmiClient ipmi;
  private final int channel;

  IpmiAccess(IpmiClient ipmi, int channel) {
    this.ipmi = ipmi;
    this.channel = channel;
  }

  @Override
  public AccessMethod method() {
    return AccessMethod.IPMI;
  }

  @Override
  public Map<String, Object> readBios() {
    throw new MethodUnavailableException("IPMI has no BIOS settings");
  }

  @Override
  public void stageBios(Map<String, Object> values) {
    throw new MethodUnavailableException("IPMI has no BIOS settings");
  }

  @Override
  public List<FirmwareItem> firmwareInventory() {
    throw new MethodUnavailableException("IPMI has no firmware inventory");
  }

  @Override
  public String startFirmwareUpdate(FirmwarePlan.Update update) {
    throw new MethodUnavailableException("IPMI has no firmware update");
  }

  @Override
  public String powerState() {
    return ipmi.powerStatus() == PowerState.ON ? "On" : "Off";
  }

  @Override
  public void reset(String type) {
    if ("On".equals(type)) {
      ipmi.powerOn();
    } else {
      ipmi.powerReset();
    }
  }

  @Override
  public BmcNetworkState readNetwork() {
    LanConfig lan = ipmi.lanPrint(channel);
    return new BmcNetworkState(
        lan.ipSource() == IpSource.DHCP, lan.ipAddress(), lan.subnetMask(), lan.defaultGateway());
  }

  @Override
  public void writeNetwork(BmcNetworkState state) {
    if (state.dhcp()) {
      ipmi.setIpSource(channel, IpSource.DHCP);
      return;
    }
    // The address last: a BMC may move to it at once.
    ipmi.setIpSource(channel, IpSource.STATIC);
    ipmi.setNetmask(channel, state.netmask());
    ipmi.setDefaultGateway(channel, state.gateway());
    ipmi.setIpAddress(channel, state.address());
  }
}
