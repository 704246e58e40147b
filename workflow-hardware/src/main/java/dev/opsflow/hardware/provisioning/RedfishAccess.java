package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.redfish.ApplyTime;
import dev.opsflow.hardware.redfish.BmcNetworkInterface;
import dev.opsflow.hardware.redfish.FirmwareItem;
import dev.opsflow.hardware.redfish.RedfishClient;
import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.StepContext;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Redfish's way: the system's {@code Bios} and its settings object, {@code ComputerSystem.Reset},
 * the first manager's first EthernetInterface. A service without a Bios resource (Dell R630/R820
 * era iDRACs, many blades: no link, or 404) or without a manager interface is unavailable for those
 * capabilities. The session opens on first use.
 */
final class RedfishAccess implements ServerAccess {
  private final StepContext ctx;
  private final Supplier<RedfishClient> connect;
  private RedfishClient bmc;

  RedfishAccess(StepContext ctx, Supplier<RedfishClient> connect) {
    this.ctx = ctx;
    this.connect = connect;
  }

  @Override
  public AccessMethod method() {
    return AccessMethod.REDFISH;
  }

  private RedfishClient bmc() {
    if (bmc == null) {
      bmc = connect.get();
    }
    return bmc;
  }

  private String system() {
    return HardwareStep.system(ctx, bmc());
  }

  private String biosUnavailable() {
    return "the Redfish system " + system() + " has no Bios resource";
  }

  @Override
  public Map<String, Object> readBios() {
    if (bmc().system(system()).biosUri() == null) {
      throw new MethodUnavailableException(biosUnavailable());
    }
    try {
      return bmc().bios(system()).attributes();
    } catch (ApiException e) {
      throw notFound(e, biosUnavailable() + " (404)");
    }
  }

  @Override
  public void stageBios(Map<String, Object> values) {
    if (bmc().system(system()).biosUri() == null) {
      throw new MethodUnavailableException(biosUnavailable());
    }
    try {
      bmc().setBiosAttributes(system(), values, ApplyTime.ON_RESET);
    } catch (ApiException e) {
      throw notFound(e, biosUnavailable() + " (404)");
    }
  }

  @Override
  public String powerState() {
    return bmc().powerState(system());
  }

  @Override
  public void reset(String type) {
    bmc().reset(system(), type);
  }

  @Override
  public BmcNetworkState readNetwork() {
    BmcNetworkInterface nic = bmc().ethernetInterface(interfaceUri());
    var configured = nic.ipv4StaticAddresses();
    if (nic.dhcpEnabled() || configured.isEmpty()) {
      return new BmcNetworkState(true, null, null, null);
    }
    var a = configured.get(0);
    return new BmcNetworkState(false, a.address(), a.subnetMask(), a.gateway());
  }

  @Override
  public void writeNetwork(BmcNetworkState state) {
    String nic = interfaceUri();
    if (state.dhcp()) {
      bmc().enableDhcpv4(nic);
    } else {
      bmc().setStaticIpv4(nic, state.address(), state.netmask(), state.gateway());
    }
  }

  /** The UpdateService, or unavailable when the service has none. */
  private JsonNode updateService() {
    String uri = bmc().serviceRoot().path("UpdateService").path("@odata.id").asString("");
    if (uri.isEmpty()) {
      throw new MethodUnavailableException("the Redfish service has no UpdateService");
    }
    return bmc().get(uri);
  }

  @Override
  public List<FirmwareItem> firmwareInventory() {
    if (!updateService().path("FirmwareInventory").has("@odata.id")) {
      throw new MethodUnavailableException("the Redfish UpdateService has no FirmwareInventory");
    }
    return bmc().firmwareInventory();
  }

  @Override
  public String startFirmwareUpdate(FirmwarePlan.Update update) {
    if (!updateService().path("Actions").path("#UpdateService.SimpleUpdate").has("target")) {
      throw new MethodUnavailableException(
          "the Redfish UpdateService has no #UpdateService.SimpleUpdate action");
    }
    return bmc()
        .simpleUpdate(
            update.target().imageUri(),
            update.target().transferProtocol(),
            List.of(update.inventoryUri()));
  }

  private String interfaceUri() {
    List<String> managers = bmc().managers();
    List<String> nics =
        managers.isEmpty() ? List.of() : bmc().managerEthernetInterfaces(managers.get(0));
    if (nics.isEmpty()) {
      throw new MethodUnavailableException(
          "the Redfish service lists no manager EthernetInterface");
    }
    return nics.get(0);
  }

  private static RuntimeException notFound(ApiException e, String reason) {
    return e.status() == 404 ? new MethodUnavailableException(reason) : e;
  }

  @Override
  public void close() {
    if (bmc != null) {
      bmc.close();
    }
  }
}
