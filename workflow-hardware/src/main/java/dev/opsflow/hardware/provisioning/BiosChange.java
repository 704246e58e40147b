package dev.opsflow.hardware.provisioning;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The BIOS attributes a device type wants changed on one system: each attribute's value now and its
 * wanted value, only for those that differ. Immutable.
 *
 * @param before the current values of the attributes to change
 * @param wanted the values to set
 */
public record BiosChange(Map<String, Object> before, Map<String, Object> wanted) {

  /**
   * Copies the maps, keeping their order.
   *
   * @param before the current values of the attributes to change
   * @param wanted the values to set
   */
  public BiosChange {
    before = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(before));
    wanted = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(wanted));
  }

  /**
   * The difference between {@code current} and {@code template}. Values are compared as text, so
   * {@code 4} in YAML matches {@code "4"} on a BMC that reports numbers as strings.
   *
   * @param current the BIOS attributes the BMC reports
   * @param template the attributes wanted
   * @return the change, empty when nothing needs to change
   */
  public static BiosChange between(Map<String, Object> current, Map<String, Object> template) {
    var before = new LinkedHashMap<String, Object>();
    var wanted = new LinkedHashMap<String, Object>();
    template.forEach(
        (name, value) -> {
          Object now = current.get(name);
          if (!same(now, value)) {
            before.put(name, now);
            wanted.put(name, value);
          }
        });
    return new BiosChange(before, wanted);
  }

  static boolean same(Object a, Object b) {
    return a != null && b != null && String.valueOf(a).equals(String.valueOf(b));
  }

  /** {@return whether nothing needs to change} */
  public boolean isEmpty() {
    return wanted.isEmpty();
  }

  /**
   * {@return the change in words, such as {@code BootMode: Legacy -> Uefi, PowerProfile: Balanced
   * -> MaxPerformance}}
   */
  public String describe() {
    var sb = new StringBuilder();
    wanted.forEach(
        (name, value) -> {
          if (sb.length() > 0) {
            sb.append(", ");
          }
          sb.append(name).append(": ").append(before.get(name)).append(" -> ").append(value);
        });
    return sb.toString();
  }
}
