package dev.opsflow.redis.cloud.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code POST /fixed/subscriptions}: {@code name} and {@code planId} are required; a
 * free plan takes no payment method. Null fields are left out. Immutable.
 *
 * @param name the subscription's name
 * @param planId the plan's id
 * @param paymentMethod {@code credit-card} or {@code marketplace}, or null
 * @param paymentMethodId the credit card's id, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FixedSubscriptionCreateRequest(
    String name, long planId, String paymentMethod, Long paymentMethodId) {}
