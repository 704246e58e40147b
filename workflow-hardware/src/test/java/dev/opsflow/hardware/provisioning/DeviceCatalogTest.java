package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceCatalogTest {

  @Test
  void theDefaultCatalogHasTheSeedsDeviceTypes() {
    DeviceCatalog catalog = DeviceCatalog.defaults();

    assertThat(catalog.names()).containsExactly("a1.c5.large", "d1.c2.medium");
    DeviceType type = catalog.get("a1.c5.large");
    assertThat(type.biosAttributes()).containsEntry("BootMode", "Uefi");
    assertThat(type.firmware())
        .extracting(FirmwareTarget::component, FirmwareTarget::version)
        .contains(org.assertj.core.groups.Tuple.tuple("BIOS", "1.5.0"));
    assertThat(type.timeouts().commission()).isEqualTo(Duration.ofMinutes(45));
    assertThat(catalog.get("d1.c2.medium").timeouts().bios()).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void aFileIsReadWithDefaultTimeoutsAndTypedValues(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("fleet.yaml");
    Files.writeString(
        file,
        """
        deviceTypes:
          s1.small:
            bios:
              BootMode: Uefi
              NumaNodesPerSocket: 2
              Sriov: true
        """);

    DeviceType type = DeviceCatalog.load(file).get("s1.small");

    assertThat(type.biosAttributes())
        .containsEntry("BootMode", "Uefi")
        .containsEntry("NumaNodesPerSocket", 2L)
        .containsEntry("Sriov", true);
    assertThat(type.firmware()).isEmpty();
    assertThat(type.timeouts()).isEqualTo(DeviceTimeouts.DEFAULTS);
  }

  @Test
  void unknownFieldsAndBadValuesNameTheFileTheFieldAndTheValue() {
    String yaml =
        """
        deviceTypes:
          a1.c5.large:
            bios: {BootMode: Uefi}
            biosTimeout: 900
            firmware:
              - component: BIOS
                version: 1.5.0
                image: firmware/bios.bin
                transferProtocol: GOPHER
            timeouts:
              commission: 0m
              ipmi: soon
        """;

    assertThatThrownBy(() -> DeviceCatalog.parse("fleet.yaml", yaml))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.problems())
                    .allMatch(p -> p.startsWith("device catalog fleet.yaml: "))
                    .anyMatch(p -> p.contains("deviceTypes.a1.c5.large.biosTimeout: unknown field"))
                    .anyMatch(
                        p ->
                            p.contains("deviceTypes.a1.c5.large.firmware[0].image")
                                && p.contains("'firmware/bios.bin'"))
                    .anyMatch(p -> p.contains("transferProtocol: 'GOPHER'"))
                    .anyMatch(
                        p -> p.contains("timeouts.commission: '0m' is not a positive duration"))
                    .anyMatch(p -> p.contains("timeouts.ipmi: 'soon'")));
  }

  @Test
  void anUnknownTopLevelFieldAndARepeatedComponentAreRefused() {
    String yaml =
        """
        devices: {}
        deviceTypes:
          x1:
            firmware:
              - {component: BIOS, version: "1", image: "https://fw.example/1.bin"}
              - {component: BIOS, version: "2", image: "https://fw.example/2.bin"}
        """;

    assertThatThrownBy(() -> DeviceCatalog.parse("c.yaml", yaml))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("unknown field 'devices'")
        .hasMessageContaining("deviceTypes.x1.firmware[1].component: 'BIOS' is listed twice");
  }

  @Test
  void invalidYamlNamesTheFile() {
    assertThatThrownBy(() -> DeviceCatalog.parse("broken.yaml", "deviceTypes: [unclosed"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("device catalog broken.yaml is not valid YAML");
  }

  @Test
  void anUnknownTypeNamesTheKnownOnes() {
    assertThatThrownBy(() -> DeviceCatalog.defaults().get("z9.huge"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("unknown device type 'z9.huge'")
        .hasMessageContaining("a1.c5.large");
  }
}
