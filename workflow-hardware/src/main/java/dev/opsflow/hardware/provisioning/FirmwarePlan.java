package dev.opsflow.hardware.provisioning;

import java.util.List;

/**
 * The firmware updates a system needs: for each out-of-date component, its inventory entry, the
 * version installed and the target. Immutable.
 *
 * @param updates the updates, in the catalog's order
 */
public record FirmwarePlan(List<Update> updates) {

  /**
   * Copies the list.
   *
   * @param updates the updates, in the catalog's order
   */
  public FirmwarePlan {
    updates = List.copyOf(updates);
  }

  /**
   * One update.
   *
   * @param inventoryUri the FirmwareInventory entry to update
   * @param installed the version installed now
   * @param target the version wanted and its image
   */
  public record Update(String inventoryUri, String installed, FirmwareTarget target) {
    /** {@return the update in words, such as {@code BIOS 1.4.2 -> 1.5.0}} */
    public String describe() {
      return target.component() + " " + installed + " -> " + target.version();
    }
  }

  /** {@return whether everything is up to date} */
  public boolean isEmpty() {
    return updates.isEmpty();
  }
}
