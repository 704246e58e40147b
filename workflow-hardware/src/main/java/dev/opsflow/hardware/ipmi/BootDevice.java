package dev.opsflow.hardware.ipmi;

import java.util.Locale;

/** A boot device for {@code ipmitool chassis bootdev}. */
public enum BootDevice {
  /** Do not change the boot device order. */
  NONE,
  /** Network boot (PXE). */
  PXE,
  /** The default hard drive. */
  DISK,
  /** The default hard drive in safe mode. */
  SAFE,
  /** The diagnostic partition. */
  DIAG,
  /** CD/DVD. */
  CDROM,
  /** The BIOS setup. */
  BIOS,
  /** A remotely connected floppy or primary removable media. */
  FLOPPY;

  /** The argument ipmitool takes. */
  String argument() {
    return name().toLowerCase(Locale.ROOT);
  }
}
