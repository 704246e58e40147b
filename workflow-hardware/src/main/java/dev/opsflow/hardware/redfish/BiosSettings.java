package dev.opsflow.hardware.redfish;

import java.util.List;
import java.util.Map;

/**
 * A system's BIOS: the current attributes and where changes go. Immutable.
 *
 * @param biosUri the Bios resource
 * @param attributes the current attributes
 * @param settingsUri the {@code @Redfish.Settings} SettingsObject to PATCH, or the Bios resource
 *     itself when the service has no settings object
 * @param supportedApplyTimes the apply times the service advertises (empty when it does not say)
 */
public record BiosSettings(
    String biosUri,
    Map<String, Object> attributes,
    String settingsUri,
    List<String> supportedApplyTimes) {

  /**
   * Copies the collections.
   *
   * @param biosUri the Bios resource
   * @param attributes the current attributes
   * @param settingsUri the {@code @Redfish.Settings} SettingsObject to PATCH, or the Bios resource
   *     itself when the service has no settings object
   * @param supportedApplyTimes the apply times the service advertises (empty when it does not say)
   */
  public BiosSettings {
    attributes = Map.copyOf(attributes);
    supportedApplyTimes = List.copyOf(supportedApplyTimes);
  }
}
