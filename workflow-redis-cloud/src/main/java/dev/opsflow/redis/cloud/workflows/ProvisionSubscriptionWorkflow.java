package dev.opsflow.redis.cloud.workflows;

import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.VpcPeeringCreateRequest;
import dev.opsflow.redis.cloud.steps.EnsureVpcPeeringStep;
import dev.opsflow.redis.cloud.steps.PlanSubscriptionStep;
import dev.opsflow.workflow.Input;
import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.StepOptions;
import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.Workflow;
import dev.opsflow.workflow.http.TlsTrust;
import java.util.List;

/**
 * {@code provision-subscription}: a Pro subscription with several databases and its networking
 * (deployment CIDR, and a VPC peering to the user's VPC), each part found or created by name, so a
 * re-run creates nothing twice. Databases are listed as {@code name} or {@code name:memoryGb}; the
 * other database options apply to each. With rollback, a failure deletes only what this run
 * created.
 */
public final class ProvisionSubscriptionWorkflow {
  /** The workflow's name. */
  public static final String NAME = "provision-subscription";

  /** The databases: {@code cache:2,sessions:1}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<String>> DATABASES = (Key) Key.of("databases", List.class);

  /** AWS account of the VPC to peer with. */
  public static final Key<String> PEER_AWS_ACCOUNT = Key.of("peerAwsAccountId", String.class);

  /** AWS VPC to peer with. */
  public static final Key<String> PEER_VPC_ID = Key.of("peerVpcId", String.class);

  /** CIDR of the AWS VPC to peer with. */
  public static final Key<String> PEER_VPC_CIDR = Key.of("peerVpcCidr", String.class);

  /** Region of the AWS VPC to peer with (default: the subscription's). */
  public static final Key<String> PEER_REGION = Key.of("peerRegion", String.class);

  /** GCP project of the network to peer with. */
  public static final Key<String> PEER_PROJECT = Key.of("peerGcpProject", String.class);

  /** GCP network to peer with. */
  public static final Key<String> PEER_NETWORK = Key.of("peerGcpNetwork", String.class);

  private ProvisionSubscriptionWorkflow() {}

  /**
   * The workflow, its steps calling {@code client}; TLS databases are checked with the JVM's trust.
   *
   * @param client the Redis Cloud client the step calls
   * @return the workflow, to run or register
   */
  public static Workflow create(RedisCloudClient client) {
    return create(client, TlsTrust.system());
  }

  /**
   * The workflow, its steps calling {@code client}; the connectivity check of a TLS database trusts
   * {@code databaseTrust} (the database's CA).
   *
   * @param client the Redis Cloud client the step calls
   * @param databaseTrust which certificates a TLS database's endpoint may present to the
   *     connectivity check
   * @return the workflow, to run or register
   */
  public static Workflow create(RedisCloudClient client, TlsTrust databaseTrust) {
    var b =
        Workflow.builder(NAME)
            .version(1)
            .description(
                "Create a Redis Cloud Pro subscription with several databases and a VPC"
                    + " peering, each found or created by name")
            .input(CloudInputs.name())
            .input(CloudInputs.provider())
            .input(CloudInputs.region())
            .input(CloudInputs.cidr())
            .input(
                Input.required(DATABASES)
                    .describedAs("databases as name or name:memoryGb," + " comma-separated"))
            .input(Input.optional(CloudInputs.MULTI_AZ, (Boolean) null))
            .input(
                Input.optional(PEER_AWS_ACCOUNT, (String) null)
                    .check(v -> v.matches("\\d{12}"), "a 12-digit AWS account id"))
            .input(
                Input.optional(PEER_VPC_ID, (String) null)
                    .check(v -> v.matches("vpc-[0-9a-f]+"), "an AWS VPC id such as vpc-0a1b2c"))
            .input(
                Input.optional(PEER_VPC_CIDR, (String) null)
                    .check(Cidrs::isCidr, "an IPv4 CIDR such as 172.31.0.0/16"))
            .input(Input.optional(PEER_REGION, (String) null))
            .input(Input.optional(PEER_PROJECT, (String) null))
            .input(Input.optional(PEER_NETWORK, (String) null));
    CloudInputs.account().stream()
        .filter(i -> !i.name().equals(CloudInputs.MULTI_AZ.name()))
        .forEach(b::input);
    CloudInputs.databaseOptions().stream()
        .filter(i -> !i.name().equals(CloudInputs.MEMORY_GB.name()))
        .forEach(b::input);
    b.input(
        Input.optional(CloudInputs.MEMORY_GB, (Double) null)
            .describedAs("memory limit in GB of databases listed without one (default 1)")
            .check(v -> v > 0, "a positive number of GB"));
    SubscriptionSetupWorkflow.steps(
        b,
        client,
        new PlanSubscriptionStep(
            ctx -> {
              checkPeering(ctx);
              return SubscriptionPlans.several(ctx, ctx.require(DATABASES));
            }));
    b.step(
        new EnsureVpcPeeringStep(client, ProvisionSubscriptionWorkflow::peering),
        StepOptions.defaults().withCondition(ProvisionSubscriptionWorkflow::wantsPeering));
    return SubscriptionSetupWorkflow.withVerify(b, client, databaseTrust).build();
  }

  static boolean wantsPeering(StepContext ctx) {
    return ctx.get(PEER_VPC_ID).isPresent() || ctx.get(PEER_NETWORK).isPresent();
  }

  private static void checkPeering(StepContext ctx) {
    boolean aws =
        ctx.get(PEER_VPC_ID).isPresent()
            || ctx.get(PEER_AWS_ACCOUNT).isPresent()
            || ctx.get(PEER_VPC_CIDR).isPresent();
    boolean gcp = ctx.get(PEER_NETWORK).isPresent() || ctx.get(PEER_PROJECT).isPresent();
    if (aws && gcp) {
      throw new ValidationException(
          "inputs 'peerVpcId' and 'peerGcpNetwork': an AWS and a"
              + " GCP peering were both described; give one");
    }
    if (aws
        && (ctx.get(PEER_VPC_ID).isEmpty()
            || ctx.get(PEER_AWS_ACCOUNT).isEmpty()
            || ctx.get(PEER_VPC_CIDR).isEmpty())) {
      throw new ValidationException(
          "inputs 'peerAwsAccountId', 'peerVpcId' and"
              + " 'peerVpcCidr': an AWS peering needs all three");
    }
    if (gcp && (ctx.get(PEER_NETWORK).isEmpty() || ctx.get(PEER_PROJECT).isEmpty())) {
      throw new ValidationException(
          "inputs 'peerGcpProject' and 'peerGcpNetwork': a GCP" + " peering needs both");
    }
    if (aws && !ctx.require(CloudInputs.PROVIDER).equals("AWS")
        || gcp && !ctx.require(CloudInputs.PROVIDER).equals("GCP")) {
      throw new ValidationException(
          "input 'provider': "
              + ctx.require(CloudInputs.PROVIDER)
              + " does not match the peering described (AWS peering needs AWS, GCP needs GCP)");
    }
  }

  static VpcPeeringCreateRequest peering(StepContext ctx) {
    if (ctx.get(PEER_NETWORK).isPresent()) {
      return VpcPeeringCreateRequest.gcp(ctx.require(PEER_PROJECT), ctx.require(PEER_NETWORK));
    }
    return VpcPeeringCreateRequest.aws(
        ctx.get(PEER_REGION).orElse(ctx.require(CloudInputs.REGION)),
        ctx.require(PEER_AWS_ACCOUNT),
        ctx.require(PEER_VPC_ID),
        ctx.require(PEER_VPC_CIDR));
  }
}
