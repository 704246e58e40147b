package dev.opsflow.hardware.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parsers on output as the vendors document it. Sources of the samples: Dell, "Integrated Dell
 * Remote Access Controller RACADM CLI Guide" (iDRAC 7/8/9), commands {@code get}, {@code set},
 * {@code jobqueue create}, {@code serveraction}; HPE, "iLOrest user guide" (iLOrest 4.x to 7.0,
 * "BIOS commands": {@code ilorest get --select Bios --json}) and the iLO 5/6 Bios resource
 * definitions; Supermicro, "Supermicro Update Manager (SUM) User's Guide" rev. 2.x section 4.4
 * ({@code GetCurrentBiosCfg}/{@code ChangeBiosCfg}) and the SAA guide's "BIOS Settings XML File
 * Format" ({@code <BiosCfg>}, {@code <Menu>}, {@code <Setting>}).
 */
class VendorToolParsersTest {

  private static final String RACADM_GET =
      """
      [Key=BIOS.Setup.1-1#BiosBootSettings]
      BootMode=Uefi
      BootSeq=
      BootSeqRetry=Enabled
      GenericUsbBoot=Disabled
      #HddFailover=Disabled
      HddPlaceholder=Disabled
      UefiBootSeq=RAID.Integrated.1-1,NIC.PxeDevice.1-1,NIC.PxeDevice.2-1
      [Key=BIOS.Setup.1-1#ProcSettings]
      ControlledTurbo=Disabled (Pending Value=Enabled)
      """;

  @Test
  void racadmGetSectionsGiveEachAttributeItsCurrentValue() {
    Map<String, String> bios = new Racadm().parseBios(RACADM_GET);

    assertThat(bios)
        .containsEntry("BootMode", "Uefi")
        .containsEntry("BootSeq", "")
        .containsEntry("HddFailover", "Disabled")
        .containsEntry("UefiBootSeq", "RAID.Integrated.1-1,NIC.PxeDevice.1-1,NIC.PxeDevice.2-1")
        .containsEntry("ControlledTurbo", "Disabled");
  }

  @Test
  void racadmStagingSetsEachAttributeInItsGroupThenCreatesTheBiosJob() {
    var changes = new LinkedHashMap<String, String>();
    changes.put("BootMode", "Bios");
    changes.put("ControlledTurbo", "Enabled");

    List<String> commands = new Racadm().stageBiosCommands(RACADM_GET, changes);

    assertThat(commands)
        .containsExactly(
            "racadm set 'BIOS.BiosBootSettings.BootMode' 'Bios'",
            "racadm set 'BIOS.ProcSettings.ControlledTurbo' 'Enabled'",
            "racadm jobqueue create BIOS.Setup.1-1");
    assertThatThrownBy(() -> new Racadm().stageBiosCommands(RACADM_GET, Map.of("Nope", "x")))
        .hasMessageContaining("'Nope'");
  }

  @Test
  void racadmAnswersToSetAndJobqueueAreChecked() {
    var racadm = new Racadm();
    racadm.checkStaged(
        "racadm set BIOS.ProcSettings.ControlledTurbo Disabled",
        "[Key=BIOS.Setup.1-1#ProcSettings]\nObject value modified successfully\n");
    String job =
        """
        RAC1024: Successfully scheduled a job.
        Verify the job status using "racadm jobqueue view -i JID_123456789012" command.
        Commit JID = JID_123456789012
        """;
    racadm.checkStaged("racadm jobqueue create BIOS.Setup.1-1", job);
    assertThat(Racadm.jobId(job)).contains("JID_123456789012");
    assertThatThrownBy(
            () ->
                racadm.checkStaged(
                    "racadm set BIOS.ProcSettings.X Y",
                    "ERROR: SWC0248 : Invalid object name specified."))
        .hasMessageContaining("SWC0248");
    assertThat(racadm.parsePowerState("Server power status: ON")).isEqualTo("On");
    assertThat(racadm.parsePowerState("Server power status: OFF")).isEqualTo("Off");
  }

  @Test
  void racadmOutputWithoutASectionIsRefused() {
    assertThatThrownBy(() -> new Racadm().parseBios("ERROR: Unable to connect to RAC"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no [Key=BIOS.Setup.1-1#...] section");
  }

  private static final String ILOREST_JSON =
      """
      Discovering data...Done
      {
        "@odata.context": "/redfish/v1/$metadata#Bios.Bios",
        "@odata.id": "/redfish/v1/systems/1/bios/settings/",
        "@odata.type": "#Bios.v1_0_4.Bios",
        "AttributeRegistry": "BiosAttributeRegistryU32.v1_2_68",
        "Attributes": {
          "AdminName": "Jason E",
          "BootMode": "Uefi",
          "ProcHyperthreading": "Enabled",
          "WorkloadProfile": "GeneralPowerEfficientCompute",
          "PowerOnDelay": "NoDelay",
          "ThermalConfig": "OptimalCooling",
          "AdminPhone": "",
          "ProcX2Apic": "Enabled",
          "MinProcIdlePower": "C6"
        },
        "Id": "settings",
        "Name": "BIOS Pending Settings"
      }
      """;

  @Test
  void ilorestJsonGivesTheAttributes() {
    Map<String, String> bios = new Ilorest().parseBios(ILOREST_JSON);

    assertThat(bios)
        .containsEntry("AdminName", "Jason E")
        .containsEntry("WorkloadProfile", "GeneralPowerEfficientCompute")
        .containsEntry("AdminPhone", "")
        .doesNotContainKey("Id")
        .hasSize(9);
  }

  @Test
  void ilorestStagingSetsThenCommits() {
    List<String> commands =
        new Ilorest()
            .stageBiosCommands(
                ILOREST_JSON, Map.of("WorkloadProfile", "Virtualization-MaxPerformance"));

    assertThat(commands)
        .containsExactly(
            "ilorest set 'WorkloadProfile=Virtualization-MaxPerformance' --select Bios.",
            "ilorest commit");
    var ilorest = new Ilorest();
    ilorest.checkStaged(
        "ilorest commit",
        "Committing changes...\nOne or more properties were changed and will not take effect"
            + " until system is reset.\n");
    assertThat(ilorest.parsePowerState("PowerState=On")).isEqualTo("On");
  }

  private static final String SUM_XML =
      """
      <?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>
      <BiosCfg>
        <!--Supermicro Update Manager 2.3.0 (2019/08/08)-->
        <Menu name="Main">
          <Information />
          <Text>BIOS Version(1.1a)</Text>
        </Menu>
        <Menu name="Advanced">
          <Menu name="Boot Feature">
            <Setting name="Quiet Boot" checkedStatus="Checked" type="CheckBox">
              <Information><DefaultStatus>Checked</DefaultStatus></Information>
            </Setting>
          </Menu>
          <Menu name="CPU Configuration">
            <Setting name="Hyper-Threading [ALL]" selectedOption="Enable" type="Option">
              <Information>
                <AvailableOptions>
                  <Option value="0">Disable</Option>
                  <Option value="1">Enable</Option>
                </AvailableOptions>
                <DefaultOption>Enable</DefaultOption>
              </Information>
            </Setting>
          </Menu>
        </Menu>
        <Menu name="IPMI">
          <Menu name="System Event Log">
            <Setting name="SEL Components" selectedOption="Enabled" type="Option"/>
          </Menu>
        </Menu>
        <Menu name="Boot">
          <Setting name="Boot mode select" selectedOption="UEFI" type="Option"/>
          <Setting name="Setup Prompt Timeout" numericValue="1" type="Numeric"/>
        </Menu>
      </BiosCfg>
      """;

  @Test
  void sumXmlGivesEachSettingItsValue() {
    Map<String, String> bios = new SupermicroSum().parseBios(SUM_XML);

    assertThat(bios)
        .containsEntry("Quiet Boot", "Checked")
        .containsEntry("Hyper-Threading [ALL]", "Enable")
        .containsEntry("SEL Components", "Enabled")
        .containsEntry("Boot mode select", "UEFI")
        .containsEntry("Setup Prompt Timeout", "1")
        .hasSize(5);
  }

  @Test
  void sumStagingWritesOnlyTheChangedSettingsUnderTheirMenus() {
    List<String> commands =
        new SupermicroSum()
            .stageBiosCommands(
                SUM_XML, Map.of("Hyper-Threading [ALL]", "Disable", "Setup Prompt Timeout", "5"));

    assertThat(commands).hasSize(1);
    String command = commands.get(0);
    assertThat(command)
        .contains(
            "<Menu name=\"Advanced\"><Menu name=\"CPU Configuration\"><Setting"
                + " name=\"Hyper-Threading [ALL]\" selectedOption=\"Disable\" type=\"Option\"/>"
                + "</Menu></Menu>")
        .contains(
            "<Menu name=\"Boot\"><Setting name=\"Setup Prompt Timeout\" numericValue=\"5\""
                + " type=\"Numeric\"/></Menu>")
        .contains("sum -c ChangeBiosCfg --file \"$f\"")
        .doesNotContain("Quiet Boot");
    // What it writes reads back with the same parser.
    String xml =
        command.substring(command.indexOf("<?xml"), command.indexOf("OPSFLOW_SUM_EOF\nsum"));
    assertThat(new SupermicroSum().parseBios(xml))
        .containsEntry("Hyper-Threading [ALL]", "Disable")
        .containsEntry("Setup Prompt Timeout", "5");
  }

  @Test
  void sumRefusesADoctypeAndOtherXml() {
    assertThatThrownBy(
            () ->
                new SupermicroSum()
                    .parseBios(
                        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM"
                            + " \"file:///etc/passwd\">]><BiosCfg>&e;</BiosCfg>"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SupermicroSum().parseBios("<Other/>"))
        .hasMessageContaining("expected <BiosCfg>");
  }

  @Test
  void valuesAreQuotedForTheShell() {
    assertThat(VendorTool.quote("it's; rm -rf /")).isEqualTo("'it'\\''s; rm -rf /'");
    assertThat(VendorTool.named("racadm")).containsInstanceOf(Racadm.class);
    assertThat(VendorTool.named("unknown")).isEmpty();
  }
}
