package dev.opsflow.hardware.ipmi;

/** A chassis's power state as {@code ipmitool chassis power status} reports it. */
public enum PowerState {
  /** Powered on. */
  ON,
  /** Powered off. */
  OFF
}
