package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.VpcPeering;
import dev.opsflow.redis.cloud.client.VpcPeeringCreateRequest;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Makes sure the subscription has a VPC peering to the requested VPC (AWS VPC id or GCP network):
 * an existing one is reused, else one is created ({@code POST /subscriptions/{id}/peerings}) and
 * its task awaited. On rollback it deletes the peering only when this run created it.
 */
public final class EnsureVpcPeeringStep implements Step {
  private final RedisCloudClient client;
  private final Function<StepContext, VpcPeeringCreateRequest> request;

  /**
   * A step using {@code client}, the peering asked for being built from the context.
   *
   * @param client the Redis Cloud client the step calls
   * @param request builds the peering request from the run's context
   */
  public EnsureVpcPeeringStep(
      RedisCloudClient client, Function<StepContext, VpcPeeringCreateRequest> request) {
    this.client = client;
    this.request = Objects.requireNonNull(request, "request must not be null");
  }

  @Override
  public String name() {
    return "ensure-vpc-peering";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    Optional<Long> sub = ctx.get(CloudKeys.SUBSCRIPTION_ID);
    if (sub.isEmpty()) {
      return Optional.empty();
    }
    VpcPeeringCreateRequest wanted = request.apply(ctx);
    return client.vpcPeerings(ctx, sub.get()).stream()
        .filter(p -> matches(p, wanted))
        .findFirst()
        .map(
            p -> {
              ctx.put(CloudKeys.PEERING_ID, p.vpcPeeringId());
              ctx.output("vpcPeeringId", p.vpcPeeringId());
              ctx.output("vpcPeeringStatus", p.status());
              return "VPC peering " + p.vpcPeeringId() + " to " + target(wanted) + " exists";
            });
  }

  @Override
  public void run(StepContext ctx) {
    long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
    VpcPeeringCreateRequest wanted = request.apply(ctx);
    client.awaitSubscriptionActive(ctx, sub);
    ctx.subTask("Creating VPC peering to " + target(wanted) + "...");
    long id = client.awaitResourceId(ctx, client.createVpcPeering(sub, wanted));
    ctx.put(CloudKeys.PEERING_ID, id);
    ctx.put(CloudKeys.PEERING_CREATED, true);
    ctx.output("vpcPeeringId", id);
  }

  @Override
  public boolean hasCompensation() {
    return true;
  }

  @Override
  public void compensate(StepContext ctx) {
    if (ctx.get(CloudKeys.PEERING_CREATED).orElse(false)) {
      long sub = ctx.require(CloudKeys.SUBSCRIPTION_ID);
      client.awaitTask(
          ctx, client.deleteVpcPeering(sub, ctx.require(CloudKeys.PEERING_ID)).taskId());
    }
  }

  @Override
  public String describe(StepContext ctx) {
    return "create a VPC peering to " + target(request.apply(ctx));
  }

  private static boolean matches(VpcPeering p, VpcPeeringCreateRequest wanted) {
    return wanted.vpcId() != null
        ? wanted.vpcId().equals(p.vpcUid())
        : Objects.equals(wanted.vpcNetworkName(), p.networkName());
  }

  private static String target(VpcPeeringCreateRequest r) {
    return r.vpcId() != null
        ? "AWS VPC " + r.vpcId() + " (account " + r.awsAccountId() + ")"
        : "GCP network " + r.vpcNetworkName() + " (project " + r.vpcProjectUid() + ")";
  }
}
