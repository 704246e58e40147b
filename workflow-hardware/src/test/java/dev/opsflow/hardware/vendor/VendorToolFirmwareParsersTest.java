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
  void ilorestAndSumFlashAFile() {
    assertThat(new Ilorest().firmwareUpdateCommand("/tmp/x/ilo5_278.fwpkg"))
        .isEqualTo("ilorest flashfwpkg '/tmp/x/ilo5_278.fwpkg'");
    assertThat(new SupermicroSum().firmwareUpdateCommand("/tmp/x/BIOS_X11.bin"))
        .isEqualTo("sum -c UpdateBios --file '/tmp/x/BIOS_X11.bin'");
    assertThatThrownBy(() -> new SupermicroSum().checkFirmwareUpdate("ERROR: Failed to flash"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** As iLOrest prints {@code serverinfo --firmware} (a Gen10 server). */
  private static final String SERVERINFO_FIRMWARE =
      """
      ------------------------------------------------
      Firmware:
      ------------------------------------------------
      iLO 5 : 2.10 Jan 17 2020
      System ROM : U30 v2.30 (02/11/2020)
      Intelligent Platform Abstraction Data : 9.3.0 Build 15
      System Programmable Logic Device : 0x2A
      """;

  @Test
  void ilorestServerinfoFirmwareGivesEachComponentItsWholeVersion() {
    var ilorest = new Ilorest();
    assertThat(ilorest.firmwareInventoryCommand()).contains("ilorest serverinfo --firmware");
    assertThat(ilorest.parseFirmwareInventory(SERVERINFO_FIRMWARE))
        .containsExactly(
            java.util.Map.entry("iLO 5", "2.10 Jan 17 2020"),
            java.util.Map.entry("System ROM", "U30 v2.30 (02/11/2020)"),
            java.util.Map.entry("Intelligent Platform Abstraction Data", "9.3.0 Build 15"),
            java.util.Map.entry("System Programmable Logic Device", "0x2A"));
    assertThatThrownBy(() -> ilorest.parseFirmwareInventory("Error: No iLO found"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** SUM 2.x in-band: GetBiosInfo --showall (with a local image) then GetBmcInfo, banners kept. */
  private static final String SUM_INFO =
      """
      Supermicro Update Manager (for UEFI BIOS) 2.14.0 (2024/02/15) (x86_64)
      Copyright(C) 2013-2024 Super Micro Computer, Inc. All rights reserved.

      Local BIOS image file....Supermicro_BIOS_signed.rom
       Board ID.............1B6A
       BIOS build date......2021/01/12
       BIOS version.........9.9
      Managed system:
       Board ID.............0660
       BIOS build date......2012/10/17
       BIOS version.........1.0
       BIOS revision........1.00
      Supermicro Update Manager (for UEFI BIOS) 2.14.0 (2024/02/15) (x86_64)
      Copyright(C) 2013-2024 Super Micro Computer, Inc. All rights reserved.

      Managed system...........192.168.34.56
       BMC type.............X13_RoT2.0_ATEN_AST2600_1_1
       BMC version..........01.01.05
       BMC build date.......2023/10/04
      """;

  @Test
  void sumGetBiosInfoAndGetBmcInfoGiveTheManagedSystemsVersionsOnly() {
    var sum = new SupermicroSum();
    assertThat(sum.firmwareInventoryCommand())
        .contains("sum -c GetBiosInfo --showall && sum -c GetBmcInfo");
    assertThat(sum.parseFirmwareInventory(SUM_INFO))
        .containsExactly(
            java.util.Map.entry("BIOS", "1.0"), java.util.Map.entry("BMC", "01.01.05"));
    assertThatThrownBy(() -> sum.parseFirmwareInventory("ERROR: BIOS is not supported."))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
