package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.PaymentMethod;
import dev.opsflow.redis.cloud.client.RedisCloudClient;
import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest;
import dev.opsflow.workflow.ErrorKind;
import dev.opsflow.workflow.Step;
import dev.opsflow.workflow.StepContext;
import dev.opsflow.workflow.WorkflowException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Completes the plan's payment: a given {@code paymentMethodId} or {@code marketplace} is kept;
 * otherwise the account's first credit card ({@code GET /payment-methods}) is used. Read-only.
 */
public final class ResolvePaymentMethodStep implements Step {
  private final RedisCloudClient client;

  /**
   * A step using {@code client}.
   *
   * @param client the Redis Cloud client the step calls
   */
  public ResolvePaymentMethodStep(RedisCloudClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "resolve-payment-method";
  }

  @Override
  public Optional<String> precheck(StepContext ctx) {
    SubscriptionCreateRequest request = ctx.require(CloudKeys.REQUEST);
    if ("marketplace".equals(request.paymentMethod())) {
      return Optional.of("paid through the marketplace");
    }
    if (request.paymentMethodId() != null) {
      return Optional.of("payment method " + request.paymentMethodId() + " given");
    }
    return Optional.empty();
  }

  @Override
  public void run(StepContext ctx) {
    ctx.subTask("Looking up the account's payment methods...");
    List<PaymentMethod> methods = client.paymentMethods();
    if (methods.isEmpty()) {
      throw new WorkflowException(
          ErrorKind.CONFIGURATION,
          "the account has no payment method, and the subscription needs one"
              + " (the API would answer PAYMENT_INFO_NOT_PROVIDED)",
          null,
          false,
          Map.of("errorCode", "PAYMENT_INFO_NOT_PROVIDED"),
          List.of(
              "add a credit card in the Redis Cloud console, or pass paymentMethod="
                  + "marketplace"));
    }
    PaymentMethod chosen = methods.get(0);
    ctx.put(CloudKeys.REQUEST, ctx.require(CloudKeys.REQUEST).withPaymentMethodId(chosen.id()));
    ctx.output("paymentMethodId", chosen.id());
  }

  @Override
  public boolean readOnly() {
    return true;
  }
}
