package dev.opsflow.hardware.provisioning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A kind of server ({@code a1.c5.large}) and how it is provisioned: the BIOS attributes to set, the
 * firmware versions wanted, the timeouts of its slow operations. Read from a {@link DeviceCatalog}.
 * Immutable.
 *
 * @param name the type's name
 * @param description what it is, for people
 * @param biosAttributes the Redfish BIOS attributes to set (name to value: text, number or boolean)
 * @param firmware the firmware versions wanted, one per component
 * @param timeouts the timeouts of its slow operations
 */
public record DeviceType(
    String name,
    String description,
    Map<String, Object> biosAttributes,
    List<FirmwareTarget> firmware,
    DeviceTimeouts timeouts) {

  /** Copies the collections (the attributes keep their order). */
  public DeviceType {
    Objects.requireNonNull(name, "name must not be null");
    description = description == null ? "" : description;
    biosAttributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(biosAttributes));
    firmware = List.copyOf(firmware);
    timeouts = timeouts == null ? DeviceTimeouts.DEFAULTS : timeouts;
  }
}
