package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.redfish.FirmwareItem;
import java.util.List;
import java.util.Map;

/**
 * One method's way to a server ({@link AccessMethod}): what it can do of each {@link Capability}.
 * An operation the method cannot do throws {@link MethodUnavailableException} with the reason, so
 * the chain tries the next method. Opened per call by {@link MethodChain} and closed after.
 */
interface ServerAccess extends AutoCloseable {

  /** The method this is. */
  AccessMethod method();

  /** The current BIOS attributes (values as the method reports them). */
  default Map<String, Object> readBios() {
    throw unavailable(Capability.READ_BIOS);
  }

  /** Stages {@code values} to apply at the next reset. */
  default void stageBios(Map<String, Object> values) {
    throw unavailable(Capability.APPLY_BIOS);
  }

  /** {@code On} or {@code Off} (Redfish's words). */
  default String powerState() {
    throw unavailable(Capability.POWER);
  }

  /** Resets: {@code On} powers on, {@code ForceRestart} restarts. */
  default void reset(String type) {
    throw unavailable(Capability.POWER);
  }

  /** The BMC's IPv4 configuration. */
  default BmcNetworkState readNetwork() {
    throw unavailable(Capability.BMC_NETWORK);
  }

  /** Sets the BMC's IPv4 configuration (DHCP, or static). */
  default void writeNetwork(BmcNetworkState state) {
    throw unavailable(Capability.BMC_NETWORK);
  }

  /** What {@link #startFirmwareUpdate} answers when the tool flashed in band: no task to follow. */
  String IN_BAND = "in-band:";

  /** The installed firmware: every component with its version. */
  default List<FirmwareItem> firmwareInventory() {
    throw unavailable(Capability.FIRMWARE_INVENTORY);
  }

  /**
   * Starts installing {@code update}'s image: answers a Redfish task monitor to follow to its end,
   * or {@link #IN_BAND} and the tool's name when a vendor tool flashed it (the new version then
   * reads back at once or after the next reset).
   */
  default String startFirmwareUpdate(FirmwarePlan.Update update) {
    throw unavailable(Capability.FIRMWARE_UPDATE);
  }

  /** The reason this method cannot serve {@code capability}. */
  default MethodUnavailableException unavailable(Capability capability) {
    return new MethodUnavailableException(
        method().configName() + " cannot " + capability.configName().replace('_', ' '));
  }

  @Override
  default void close() {}
}
