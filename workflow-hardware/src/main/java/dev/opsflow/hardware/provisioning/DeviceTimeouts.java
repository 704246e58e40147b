package dev.opsflow.hardware.provisioning;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a device type's slow operations may take. Immutable.
 *
 * @param commission commissioning and testing in MAAS, until Ready
 * @param bios applying BIOS settings: the reset and the read-back
 * @param ipmi configuring the BMC's network
 * @param firmware one firmware update task, until its final state
 */
public record DeviceTimeouts(Duration commission, Duration bios, Duration ipmi, Duration firmware) {

  /** The defaults: 45 minutes, 15 minutes, 5 minutes, 30 minutes. */
  public static final DeviceTimeouts DEFAULTS =
      new DeviceTimeouts(
          Duration.ofMinutes(45),
          Duration.ofMinutes(15),
          Duration.ofMinutes(5),
          Duration.ofMinutes(30));

  /**
   * Checks that every timeout is given and positive.
   *
   * @param commission commissioning and testing in MAAS, until Ready
   * @param bios applying BIOS settings: the reset and the read-back
   * @param ipmi configuring the BMC's network
   * @param firmware one firmware update task, until its final state
   */
  public DeviceTimeouts {
    positive(commission, "commission");
    positive(bios, "bios");
    positive(ipmi, "ipmi");
    positive(firmware, "firmware");
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, was " + d);
    }
  }
}
