package dev.opsflow.redis.enterprise.steps;

import dev.opsflow.workflow.Secret;
import dev.opsflow.workflow.StepContext;
import java.util.Optional;

/**
 * Applies the license key from {@link RedisEnterpriseKeys#LICENSE} ({@code PUT /v1/license}).
 * Skipped without one: the cluster keeps its trial license. The key is a secret: it never shows in
 * a log, event or result.
 */
public final class ApplyLicenseStep extends ClusterStep {

  /**
   * The step, named {@code apply-license}.
   *
   * @param clients how the step gets the client of the run's cluster
   */
  public ApplyLicenseStep(ClusterClientFactory clients) {
    super("apply-license", clients);
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    return ctx.get(RedisEnterpriseKeys.LICENSE).filter(l -> !l.isEmpty()).isPresent()
        ? Optional.empty()
        : Optional.of("no license given: the cluster keeps its trial license");
  }

  @Override
  public void run(StepContext ctx) {
    Secret license = ctx.require(RedisEnterpriseKeys.LICENSE);
    ctx.subTask("Applying the license");
    try {
      var applied = client(ctx).updateLicense(license);
      ctx.log()
          .info("license applied; expires {}", applied == null ? "?" : applied.expirationDate());
    } catch (RuntimeException e) {
      throw afterBootstrap(
          ctx, e, "check the license key, or run without it to keep the trial" + " license");
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "apply the given license key (PUT /v1/license)";
  }
}
