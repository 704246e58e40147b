package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.ApiException;
import dev.opsflow.workflow.PollingStep;
import dev.opsflow.workflow.Retries;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.WorkflowRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The bare-metal workflows: {@code server-provisioning}, {@code firmware-first-provisioning} and
 * {@code commission-server} (what {@link BatchCommissioning} runs per server), built from the
 * public steps of this package.
 *
 * <pre>{@code
 * var registry = new WorkflowRegistry();
 * HardwareWorkflows.registerAll(registry, HardwareClients.fromContext(), DeviceCatalog.load(file));
 * WorkflowResult result = registry.run(engine, HardwareWorkflows.SERVER_PROVISIONING, Map.of(
 *     "maasUrl", "http://maas:5240/MAAS", "maasApiKey", key, "systemId", "4y3ha3",
 *     "deviceType", "a1.c5.large", "bmcAddress", "10.0.0.5", "bmcUsername", "root",
 *     "bmcPassword", password, "targetBmcIp", "192.168.1.100", "targetBmcGateway", "192.168.1.1"),
 *     RunOptions.defaults().withRollback(true));
 * }</pre>
 *
 * <p>Steps that only read, or whose request is safe to repeat, retry transient failures (5xx, 429,
 * connection errors) with exponential backoff; waits are polling steps. The definitions are
 * immutable and thread-safe.
 */
public final class HardwareWorkflows {
  /** {@code server-provisioning}. */
  public static final String SERVER_PROVISIONING = "server-provisioning";

  /** {@code firmware-first-provisioning}. */
  public static final String FIRMWARE_FIRST = "firmware-first-provisioning";

  /** {@code commission-server}. */
  public static final String COMMISSION_SERVER = "commission-server";

  private static final StepOptions API =
      StepOptions.defaults()
          .withRetry(Retries.exponential(4, Duration.ofSeconds(1), Duration.ofSeconds(15)));
  private static final StepOptions ONCE = StepOptions.defaults();

  /**
   * A BIOS PATCH whose ETag went stale (412: someone changed the settings between our read and our
   * write) is tried again, as are transient errors: the client reads the ETag afresh, and a
   * repeated PATCH and reset are harmless.
   */
  private static final StepOptions STALE_ETAG =
      StepOptions.defaults()
          .withRetry(
              Retries.builder()
                  .handleIf(e -> e instanceof ApiException api && api.status() == 412)
                  .withMaxRetries(2)
                  .withDelay(Duration.ofSeconds(2))
                  .build());

  private HardwareWorkflows() {}

  /**
   * Registers the three workflows with clients from the inputs and the default catalog.
   *
   * @param registry the registry to add the workflows to
   * @return the same registry
   */
  public static WorkflowRegistry registerAll(WorkflowRegistry registry) {
    return registerAll(registry, HardwareClients.fromContext(), DeviceCatalog.defaults());
  }

  /**
   * Registers the three workflows.
   *
   * @param registry the registry to add the workflows to
   * @param clients how steps get their clients, such as {@link HardwareClients#fromContext()}
   * @param catalog the device types
   * @return the same registry
   */
  public static WorkflowRegistry registerAll(
      WorkflowRegistry registry, HardwareClients clients, DeviceCatalog catalog) {
    Objects.requireNonNull(registry, "registry must not be null");
    Objects.requireNonNull(clients, "clients must not be null");
    Objects.requireNonNull(catalog, "catalog must not be null");
    return registry
        .register(SERVER_PROVISIONING, () -> serverProvisioning(clients, catalog))
        .register(FIRMWARE_FIRST, () -> firmwareFirst(clients, catalog))
        .register(COMMISSION_SERVER, () -> commissionServer(clients, catalog));
  }

  /** Steps that run only in firmware-first mode. */
  private static boolean firmwareFirst(dev.opsflow.workflow.StepContext ctx) {
    return ctx.get(ProvisioningKeys.FIRMWARE_FIRST).orElse(false);
  }

  /**
   * {@code server-provisioning}: check the inputs; in firmware-first mode ({@code
   * firmwareFirst=true}) pre-flight checks, firmware analysis (the kinds {@code firmwareUpdates}
   * selects, in the type's priority order) and the images' SHA-256 check, all before any change;
   * with {@code bootDevice} the server's next boot set (chain {@code boot_device}); commission in
   * MAAS and wait until Ready, read the machine's addresses; in firmware-first mode the updates
   * (each task followed to its end and read back) and a reset until powered on; read the BIOS and
   * compare it with the device type, apply the change and reset, wait until it reads back,
   * configure the BMC network, tag the machine, run the SSH check (with an {@code sshUser}); in
   * firmware-first mode a final validation; report. With rollback on, a failure undoes the BIOS,
   * the BMC network and the tags (the BIOS settings saved before are written back).
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   * @return the workflow, to run or register
   */
  public static Workflow serverProvisioning(HardwareClients clients, DeviceCatalog catalog) {
    return provisioning(SERVER_PROVISIONING, false, clients, catalog, null);
  }

  /**
   * {@code server-provisioning} as {@code config} (the seed's {@code provisioning_config.yaml})
   * tunes it: each step's retries (with {@code retry_delay}, doubling) and timeout per attempt
   * ({@code default_timeout} for the others; polling steps keep the device type's wait timeouts),
   * the method chain of a step's capabilities from its {@code fallback_methods}, and the device
   * types' timeouts and vendor tools from {@code device_configurations}.
   *
   * @param clients how the steps get the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types
   * @param config the provisioning configuration
   * @return the workflow, to run or register
   * @throws dev.opsflow.workflow.ValidationException when the config names a device type the
   *     catalog lacks
   */
  public static Workflow serverProvisioning(
      HardwareClients clients, DeviceCatalog catalog, ProvisioningConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    return provisioning(
        SERVER_PROVISIONING, false, configured(clients, config), catalog.with(config), config);
  }

  /** The clients with each configured step's fallback methods as its capabilities' chains. */
  private static HardwareClients configured(HardwareClients clients, ProvisioningConfig config) {
    HardwareClients out = clients;
    Map<String, Capability> served =
        Map.of(
            "read-bios", Capability.READ_BIOS,
            "apply-bios", Capability.APPLY_BIOS,
            "await-bios", Capability.POWER,
            "configure-bmc-network", Capability.BMC_NETWORK,
            "set-boot-device", Capability.BOOT_DEVICE,
            "update-firmware", Capability.FIRMWARE_UPDATE);
    for (var e : served.entrySet()) {
      List<AccessMethod> chain = config.step(e.getKey()).fallbackMethods();
      if (!chain.isEmpty()) {
        out = out.withMethods(e.getValue(), chain);
      }
    }
    return out;
  }

  /** {@code base} with the config's retries and timeout for {@code step}. */
  private static StepOptions tuned(Step step, StepOptions base, ProvisioningConfig config) {
    if (config == null) {
      return base;
    }
    ProvisioningConfig.StepSettings own = config.step(step.name());
    int retries = own.retries() != null ? own.retries() : config.maxRetries();
    StepOptions out =
        base.withRetry(
            retries == 0
                ? Retries.none()
                : Retries.exponential(
                    retries + 1, config.retryDelay(), config.retryDelay().multipliedBy(8)));
    Duration timeout = own.timeout() != null ? own.timeout() : config.defaultTimeout();
    // A polling step's timeout is its wait's (the device type's), not one attempt's.
    if (timeout != null && !(step instanceof PollingStep)) {
      out = out.withTimeout(timeout);
    }
    return out;
  }

  /**
   * {@code firmware-first-provisioning}: {@link #serverProvisioning} with {@code firmwareFirst}
   * true by default (the name is kept as an alias of that mode).
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   * @return the workflow, to run or register
   */
  public static Workflow firmwareFirst(HardwareClients clients, DeviceCatalog catalog) {
    return provisioning(FIRMWARE_FIRST, true, clients, catalog, null);
  }

  private static Workflow provisioning(
      String name,
      boolean firmwareFirstByDefault,
      HardwareClients clients,
      DeviceCatalog catalog,
      ProvisioningConfig config) {
    var wf =
        Workflow.builder(name)
            .version(2)
            .description(
                firmwareFirstByDefault
                    ? "Provision a bare-metal server firmware first: firmware to the device type's"
                        + " versions, then MAAS commissioning, BIOS, BMC network, tags, validation"
                    : "Provision a bare-metal server: MAAS commissioning, BIOS from the device"
                        + " type, BMC network, SSH check, tags (firmwareFirst=true updates the"
                        + " firmware first)");
    ProvisioningInputs.machine(wf, catalog);
    ProvisioningInputs.bmcNetwork(wf);
    ProvisioningInputs.ssh(wf);
    ProvisioningInputs.firmware(wf, firmwareFirstByDefault);
    BiConsumer<Step, StepOptions> add =
        (step, options) -> wf.step(step, tuned(step, options, config));
    StepOptions onlyFirmwareFirst = ONCE.withCondition(HardwareWorkflows::firmwareFirst);
    StepOptions apiFirmwareFirst = API.withCondition(HardwareWorkflows::firmwareFirst);
    add.accept(new CheckInputsStep(clients, catalog), ONCE);
    add.accept(new PreflightStep(clients, catalog), apiFirmwareFirst);
    add.accept(new AnalyzeFirmwareStep(clients, catalog), apiFirmwareFirst);
    add.accept(new VerifyFirmwareImagesStep(clients, catalog), apiFirmwareFirst);
    add.accept(new SetBootDeviceStep(clients, catalog), ONCE);
    add.accept(new CommissionMachineStep(clients, catalog), ONCE);
    add.accept(new AwaitCommissioningStep(clients, catalog), ONCE);
    add.accept(new ReadMachineAddressesStep(clients, catalog), API);
    add.accept(new UpdateFirmwareStep(clients, catalog), onlyFirmwareFirst);
    add.accept(new ResetAfterFirmwareStep(clients, catalog), onlyFirmwareFirst);
    add.accept(new ReadBiosStep(clients, catalog), API);
    add.accept(new ApplyBiosSettingsStep(clients, catalog), STALE_ETAG);
    add.accept(new AwaitBiosStep(clients, catalog), ONCE);
    add.accept(new ConfigureBmcNetworkStep(clients, catalog), ONCE);
    add.accept(new TagMachineStep(clients, catalog), API);
    add.accept(new SshCheckStep(clients, catalog), ONCE);
    add.accept(new ValidateProvisioningStep(clients, catalog), apiFirmwareFirst);
    add.accept(new ReportStep(clients, catalog), ONCE);
    return wf.build();
  }

  /**
   * {@code commission-server}: with {@code bootDevice} set the next boot, commission in MAAS and
   * wait until Ready, read the addresses, configure the BMC network, tag, report. What {@link
   * BatchCommissioning} runs for each server.
   *
   * @param clients how the step gets the run's MAAS, Redfish, IPMI and SSH clients
   * @param catalog the device types: BIOS templates, firmware, timeouts and vendor tools
   * @return the workflow, to run or register
   */
  public static Workflow commissionServer(HardwareClients clients, DeviceCatalog catalog) {
    var wf =
        Workflow.builder(COMMISSION_SERVER)
            .version(1)
            .description("Commission a server in MAAS and give its BMC a static address");
    ProvisioningInputs.machine(wf, catalog);
    ProvisioningInputs.bmcNetwork(wf);
    return wf.step(new CheckInputsStep(clients, catalog))
        .step(new SetBootDeviceStep(clients, catalog), ONCE)
        .step(new CommissionMachineStep(clients, catalog), ONCE)
        .step(new AwaitCommissioningStep(clients, catalog))
        .step(new ReadMachineAddressesStep(clients, catalog), API)
        .step(new ConfigureBmcNetworkStep(clients, catalog), ONCE)
        .step(new TagMachineStep(clients, catalog), API)
        .step(new ReportStep(clients, catalog))
        .build();
  }
}
