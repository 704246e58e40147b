package dev.opsflow.hardware.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Firmware commands and parsers on output as Dell's RACADM CLI guide shows it: {@code racadm
 * getversion} ({@code <Component> Version = <version>} lines) and {@code racadm update -f} ({@code
 * RAC987: Firmware update job for <file> is initiated.}); the flash commands of iLOrest ({@code
 * flashfwpkg}) and SUM ({@code -c UpdateBios --file}).
 */
class VendorToolFirmwareParsersTest {

  private static final String GETVERSION =
      """
       Bios Version                     = 2.4.3
       iDRAC Version                    = 2.40.40.40
       Lifecycle Controller Version     = 2.40.40.40
      """;

  @Test
  void racadmGetversionGivesEachComponentItsVersion() {
    var racadm = new Racadm();
    assertThat(racadm.firmwareInventoryCommand()).contains("racadm getversion");
    assertThat(racadm.parseFirmwareInventory(GETVERSION))
        .containsExactly(
            java.util.Map.entry("Bios", "2.4.3"),
            java.util.Map.entry("iDRAC", "2.40.40.40"),
            java.util.Map.entry("Lifecycle Controller", "2.40.40.40"));
    assertThatThrownBy(() -> racadm.parseFirmwareInventory("ERROR: Unable to connect"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void racadmUpdateMustAnswerThatItsJobIsInitiated() {
    var racadm = new Racadm();
    assertThat(racadm.firmwareUpdateCommand("/tmp/x/BIOS_0F4YY_LN_2.5.4.BIN"))
        .isEqualTo("racadm update -f '/tmp/x/BIOS_0F4YY_LN_2.5.4.BIN'");
    racadm.checkFirmwareUpdate(
        "RAC987: Firmware update job for BIOS_0F4YY_LN_2.5.4.BIN is initiated.\n"
            + "This firmware update job may take several minutes to complete depending on the"
            + " component or firmware being updated. To view the progress of the job, use the"
            + " \"racadm jobqueue view\" command.");
    assertThatThrownBy(
            () -> racadm.checkFirmwareUpdate("ERROR: RAC1103: Unable to open the file x.BIN."))
        .hasMessageContaining("RAC1103");
  }

  @Test
  void ilorestAndSumFlashAFileAndReadNoInventoryHere() {
    assertThat(new Ilorest().firmwareUpdateCommand("/tmp/x/ilo5_278.fwpkg"))
        .isEqualTo("ilorest flashfwpkg '/tmp/x/ilo5_278.fwpkg'");
    assertThat(new SupermicroSum().firmwareUpdateCommand("/tmp/x/BIOS_X11.bin"))
        .isEqualTo("sum -c UpdateBios --file '/tmp/x/BIOS_X11.bin'");
    assertThat(new Ilorest().firmwareInventoryCommand()).isEmpty();
    assertThatThrownBy(() -> new SupermicroSum().checkFirmwareUpdate("ERROR: Failed to flash"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
