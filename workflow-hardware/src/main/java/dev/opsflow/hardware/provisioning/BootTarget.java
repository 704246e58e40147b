package dev.opsflow.hardware.provisioning;

import dev.opsflow.hardware.ipmi.BootDevice;

/**
 * A device to boot from once, the {@code bootDevice} input, in each method's words: Redfish's
 * {@code BootSourceOverrideTarget}, ipmitool's {@code chassis bootdev} device and racadm's {@code
 * iDRAC.ServerBoot.FirstBootDevice} value.
 */
public enum BootTarget {
  /** Network boot (PXE): what MAAS commissioning needs. */
  PXE("Pxe", BootDevice.PXE, "PXE"),
  /** The first hard disk. */
  DISK("Hdd", BootDevice.DISK, "HDD"),
  /** The (virtual) CD/DVD. */
  CD("Cd", BootDevice.CDROM, "VCD-DVD"),
  /** The BIOS setup. */
  BIOS("BiosSetup", BootDevice.BIOS, "BIOS");

  private final String redfish;
  private final BootDevice ipmi;
  private final String racadm;

  BootTarget(String redfish, BootDevice ipmi, String racadm) {
    this.redfish = redfish;
    this.ipmi = ipmi;
    this.racadm = racadm;
  }

  /** {@return Redfish's {@code BootSourceOverrideTarget} value, such as {@code Pxe}} */
  public String redfish() {
    return redfish;
  }

  /** {@return ipmitool's {@code chassis bootdev} device} */
  public BootDevice ipmi() {
    return ipmi;
  }

  /** {@return racadm's {@code iDRAC.ServerBoot.FirstBootDevice} value, such as {@code PXE}} */
  public String racadm() {
    return racadm;
  }
}
