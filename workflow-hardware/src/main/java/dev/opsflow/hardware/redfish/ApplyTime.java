package dev.opsflow.hardware.redfish;

/** When a Redfish settings change takes effect ({@code @Redfish.SettingsApplyTime}). */
public enum ApplyTime {
  /** At once. */
  IMMEDIATE("Immediate"),
  /** At the next reset (the usual choice for BIOS settings). */
  ON_RESET("OnReset"),
  /** When the next maintenance window starts. */
  AT_MAINTENANCE_WINDOW_START("AtMaintenanceWindowStart"),
  /** At a reset during the next maintenance window. */
  IN_MAINTENANCE_WINDOW_ON_RESET("InMaintenanceWindowOnReset");

  private final String value;

  ApplyTime(String value) {
    this.value = value;
  }

  /** {@return the value Redfish uses} */
  public String value() {
    return value;
  }
}
