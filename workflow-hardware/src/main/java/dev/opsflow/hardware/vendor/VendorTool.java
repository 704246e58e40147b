package dev.opsflow.hardware.vendor;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A vendor's command-line tool as run in a shell on the server (in-band): the commands that read
 * and stage BIOS settings, read the power state, reset and flash firmware, and the parsers of what
 * they print. Commands never carry a secret (in-band tools need no BMC login). Immutable and
 * thread-safe.
 */
public sealed interface VendorTool permits Racadm, Ilorest, SupermicroSum {

  /** {@return the executable's name, as {@code command -v} finds it} */
  String executable();

  /**
   * {@return a shell command that exits 0 only when this tool is installed (not merely some program
   * of the same name: coreutils has a {@code sum} too)}
   */
  default String installedCheck() {
    return "command -v " + executable();
  }

  /** {@return a shell command printing the current BIOS settings (see {@link #parseBios})} */
  String readBiosCommand();

  /**
   * The BIOS attributes in the output of {@link #readBiosCommand()}, by name, values as text.
   *
   * @param output the tool's standard output
   * @return the attributes
   * @throws IllegalArgumentException when the output is not the tool's format
   */
  Map<String, String> parseBios(String output);

  /**
   * Shell commands that stage {@code changes} to apply at the next reset, given the output of the
   * last {@link #readBiosCommand()} (racadm needs each attribute's group, sum its menu).
   *
   * @param lastRead the output of the last BIOS read
   * @param changes the attributes to change, by name
   * @return the commands, in order
   * @throws IllegalArgumentException naming an attribute the output does not have
   */
  List<String> stageBiosCommands(String lastRead, Map<String, String> changes);

  /**
   * Checks what a staging command printed.
   *
   * @param command the staging command
   * @param output what it printed
   * @throws IllegalArgumentException with the tool's message when it did not succeed
   */
  void checkStaged(String command, String output);

  /** {@return a shell command printing the power state, or empty when the tool cannot} */
  Optional<String> powerStateCommand();

  /**
   * {@code On} or {@code Off} from the output of {@link #powerStateCommand()}.
   *
   * @param output the tool's standard output
   * @return {@code On} or {@code Off}
   */
  String parsePowerState(String output);

  /**
   * A shell command for a reset ({@code On} or {@code ForceRestart}), or empty.
   *
   * @param type the Redfish reset type
   * @return the command, or empty when the tool cannot
   */
  Optional<String> resetCommand(String type);

  /**
   * {@return a shell command printing the BMC's IPv4 configuration (see {@link #parseNetwork}), or
   * empty when the tool cannot manage the BMC network}
   */
  default java.util.Optional<String> readNetworkCommand() {
    return java.util.Optional.empty();
  }

  /**
   * The BMC's IPv4 configuration in the output of {@link #readNetworkCommand()}.
   *
   * @param output the output of {@link #readNetworkCommand()}
   * @return the configuration read
   * @throws IllegalArgumentException when the output is not the tool's format
   */
  default Ipv4Settings parseNetwork(String output) {
    throw new UnsupportedOperationException(executable() + " reads no BMC network");
  }

  /**
   * Shell commands that give the BMC {@code settings} (the address last, since a BMC may move to it
   * at once), each checked with {@link #checkNetworkWritten}; empty when the tool cannot.
   *
   * @param settings the configuration wanted
   * @return the commands, in order
   */
  default List<String> writeNetworkCommands(Ipv4Settings settings) {
    return List.of();
  }

  /**
   * Checks what a command of {@link #writeNetworkCommands} printed.
   *
   * @param command the command that ran
   * @param output what it printed
   * @throws IllegalArgumentException with the tool's message when it did not succeed
   */
  default void checkNetworkWritten(String command, String output) {}

  /**
   * Shell commands setting the device the server boots from once, at its next boot, given in the
   * tool's own word ({@code PXE} for racadm); empty when the tool has no such command.
   *
   * @param device the boot device in the tool's own word, such as racadm's {@code PXE}
   * @return the commands, in order; empty when the tool cannot set the next boot
   */
  default List<String> nextBootCommands(String device) {
    return List.of();
  }

  /**
   * Checks what a command of {@link #nextBootCommands} printed.
   *
   * @param command the command that ran
   * @param output what it printed
   * @throws IllegalArgumentException with the tool's message when it did not succeed
   */
  default void checkNextBootSet(String command, String output) {}

  /**
   * A shell command flashing the image at {@code remotePath} on the server.
   *
   * @param remotePath the image's path on the server
   * @return the command
   */
  String firmwareUpdateCommand(String remotePath);

  /**
   * Checks what {@link #firmwareUpdateCommand} printed.
   *
   * @param output what the update command printed
   * @throws IllegalArgumentException with the tool's message when it did not start or finish
   */
  default void checkFirmwareUpdate(String output) {
    String lower = output.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("error") || lower.contains("fail")) {
      throw new IllegalArgumentException(
          executable() + " refused the firmware update: " + Racadm.abbreviate(output));
    }
  }

  /**
   * {@return a shell command printing the installed firmware versions (see {@link
   * #parseFirmwareInventory}), or empty when the tool has none this library reads}
   */
  default Optional<String> firmwareInventoryCommand() {
    return Optional.empty();
  }

  /**
   * The installed firmware versions by component, as the tool names them.
   *
   * @param output the output of {@link #firmwareInventoryCommand()}
   * @return the versions, by component
   * @throws IllegalArgumentException when the output is not the tool's format
   */
  default Map<String, String> parseFirmwareInventory(String output) {
    throw new UnsupportedOperationException(executable() + " reads no firmware inventory");
  }

  /**
   * The tool named {@code name}: {@code racadm}, {@code ilorest} or {@code sum}.
   *
   * @param name the tool's name
   * @return the tool, or empty for an unknown name
   */
  static Optional<VendorTool> named(String name) {
    return Optional.ofNullable(
        switch (name == null ? "" : name) {
          case "racadm" -> new Racadm();
          case "ilorest" -> new Ilorest();
          case "sum" -> new SupermicroSum();
          default -> null;
        });
  }

  /**
   * {@code value} in single quotes for a POSIX shell.
   *
   * @param value any text
   * @return the quoted text
   */
  static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
