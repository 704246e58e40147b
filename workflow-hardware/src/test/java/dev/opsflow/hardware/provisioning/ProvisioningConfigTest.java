package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.StepStatus;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.WorkflowEngine;
import dev.opsflow.workflow.WorkflowResult;
import dev.opsflow.workflow.batch.BatchOptions;
import dev.opsflow.workflow.event.WorkflowEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed's provisioning_config.yaml and batch_operations: read, checked, and in effect. */
class ProvisioningConfigTest {
  /** The seed's example, as HWAutomation's workflow guide shows it (with our BIOS device types). */
  private static final String SEED =
      """
      # configs/workflows/provisioning_config.yaml
      provisioning_workflow:
        default_timeout: 3600  # seconds
        max_retries: 3
        retry_delay: 30

        steps:
          - name: "commission_server"
            timeout: 600
            retries: 2

          - name: "bios_configuration"
            timeout: 1200
            retries: 3
            fallback_methods: ["redfish", "vendor_tools", "ipmi"]

      device_configurations:
        a1.c5.large:
          bios_config_timeout: 900
          ipmi_config_timeout: 300
          vendor_tools: ["ilorest"]

        d1.c2.medium:
          bios_config_timeout: 1200
          ipmi_config_timeout: 600
          vendor_tools: ["racadm"]

      batch_operations:
        max_parallel_workflows: 5
        queue_size: 20
        timeout_per_server: 3600

        failure_handling:
          continue_on_error: true
          max_failed_percentage: 20
          rollback_on_critical_failure: true
      """;

  @Test
  void theSeedsExampleReadsIntoRecords() {
    ProvisioningConfig config = ProvisioningConfig.parse("provisioning_config.yaml", SEED);

    assertThat(config.defaultTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(config.maxRetries()).isEqualTo(3);
    assertThat(config.retryDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.step("commission").timeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.step("await-commissioned").retries()).isEqualTo(2);
    assertThat(config.step("apply-bios").fallbackMethods())
        .containsExactly(AccessMethod.REDFISH, AccessMethod.VENDOR_TOOLS, AccessMethod.IPMI);
    assertThat(config.devices().get("d1.c2.medium").vendorTools()).containsExactly("racadm");
    assertThat(config.batch())
        .isEqualTo(
            new ProvisioningConfig.BatchSettings(5, 20, Duration.ofHours(1), true, 20, true));
  }

  @Test
  void everyProblemNamesTheFileTheLineAndTheField() {
    String bad =
        """
        provisioning_workflow:
          default_timeout: -5
          steps:
            - name: bios_configuration
              fallback_methods: [redfish, telnet]
            - name: reboot_everything
        batch_operations:
          max_parallel_workflow: 5
          failure_handling:
            max_failed_percentage: 150
        """;

    assertThatThrownBy(() -> ProvisioningConfig.parse("prov.yaml", bad))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).problems())
                    .containsExactlyInAnyOrder(
                        "prov.yaml:2: provisioning_workflow.default_timeout: '-5' is not a"
                            + " positive duration: seconds, or 30s, 15m, 2h, PT15M",
                        "prov.yaml:5: provisioning_workflow.steps[0].fallback_methods[1]:"
                            + " 'telnet' is not one of [ipmi, redfish, vendor_tools]",
                        "prov.yaml:6: provisioning_workflow.steps[1].name: 'reboot_everything'"
                            + " is not a step; expected one of "
                            + ProvisioningConfig.known(),
                        "prov.yaml:8: batch_operations.max_parallel_workflow: unknown key;"
                            + " expected one of [failure_handling, max_parallel_workflows,"
                            + " queue_size, timeout_per_server]",
                        "prov.yaml:10: batch_operations.failure_handling.max_failed_percentage:"
                            + " '150' is not a whole number 0..100"));
  }

  @Test
  void aDeviceTypeTheCatalogLacksIsRefused() {
    var config =
        ProvisioningConfig.parse(
            "p.yaml", "device_configurations:\n  z9.huge:\n    vendor_tools: [sum]\n");

    assertThatThrownBy(() -> DeviceCatalog.defaults().with(config))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("p.yaml: device_configurations.z9.huge: not a device type");
  }

  @Test
  void deviceConfigurationsSetTheTypesTimeoutsAndVendorTools() {
    var config = ProvisioningConfig.parse("provisioning_config.yaml", SEED);

    DeviceType type = DeviceCatalog.defaults().with(config).get("a1.c5.large");

    assertThat(type.vendorTools()).containsExactly("ilorest");
    assertThat(type.timeouts().bios()).isEqualTo(Duration.ofMinutes(15));
    assertThat(type.timeouts().ipmi()).isEqualTo(Duration.ofMinutes(5));
    assertThat(type.biosAttributes()).containsKey("PowerProfile");
  }

  @Test
  void batchOperationsSetTheBatchsLimitsAndRollback() {
    var config = ProvisioningConfig.parse("provisioning_config.yaml", SEED);

    BatchOptions options = config.batch().apply(BatchOptions.defaults());

    assertThat(options.maxParallel()).isEqualTo(5);
    assertThat(options.continueOnError()).isTrue();
    assertThat(options.maxFailedPercentage()).isEqualTo(20);
    assertThat(options.runOptions().rollbackOnFailure()).isTrue();
    config.batch().checkQueue(20);
    assertThatThrownBy(() -> config.batch().checkQueue(21))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("queue_size is 20: a batch of 21 servers");
  }

  @Test
  void aStepsRetriesTakeEffect() {
    String noRetry =
        """
        provisioning_workflow:
          steps:
            - name: finalize_and_tag
              retries: 0
        """;
    try (var hw = new SimulatedHardware()) {
      var failedOnce = java.util.concurrent.ConcurrentHashMap.<String>newKeySet();
      String id = hw.maas.addReadyMachine("node1");
      var in = hw.inputs(id);
      // A transient MAAS failure (503) at the first tag: the default retries it, retries: 0 not.
      try (var engine =
          WorkflowEngine.builder()
              .clock(hw.clock)
              .sleeper(hw.clock)
              .listener(
                  e -> {
                    if (e instanceof WorkflowEvent.StepProgress p
                        && p.subTask() != null
                        && p.subTask().startsWith("Tagging MAAS machine")
                        && failedOnce.add(p.runId())) {
                      hw.maas.failNext(1, 503, null);
                    }
                  })
              .build()) {
        WorkflowResult configured =
            engine.run(
                HardwareWorkflows.serverProvisioning(
                    hw.clients, hw.catalog, ProvisioningConfig.parse("p.yaml", noRetry)),
                in);
        assertThat(configured.success()).isFalse();
        assertThat(configured.step("tag-machine").orElseThrow().attempts()).isEqualTo(1);

        WorkflowResult defaults =
            engine.run(HardwareWorkflows.serverProvisioning(hw.clients, hw.catalog), in);
        assertThat(defaults.success()).as(defaults.message()).isTrue();
        assertThat(defaults.step("tag-machine").orElseThrow().status())
            .isEqualTo(StepStatus.COMPLETED);
        assertThat(defaults.step("tag-machine").orElseThrow().attempts()).isEqualTo(2);
      }
    }
  }

  @Test
  void aStepsFallbackMethodsBecomeItsCapabilitysChain() {
    var config =
        ProvisioningConfig.parse(
            "p.yaml",
            """
            provisioning_workflow:
              steps:
                - name: update_ipmi_config
                  fallback_methods: [ipmi, redfish]
            """);
    HardwareClients clients = HardwareClients.fromContext();
    var configured =
        clients.withMethods(
            Capability.BMC_NETWORK, config.step("configure-bmc-network").fallbackMethods());

    assertThat(configured.methods(Capability.BMC_NETWORK))
        .containsExactly(AccessMethod.IPMI, AccessMethod.REDFISH);
    assertThat(configured.methods(Capability.READ_BIOS)).isEqualTo(HardwareClients.DEFAULT_METHODS);
    assertThat(List.of(config.step("configure-bmc-network").fallbackMethods())).hasSize(1);
  }
}
