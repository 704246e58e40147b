package dev.opsflow.redis.cloud.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code POST /subscriptions} ({@code SubscriptionCreateRequest}): {@code
 * cloudProviders} and {@code databases} are required, and the databases listed are the ones the
 * subscription is created with. Null fields are left out of the JSON. Immutable.
 *
 * @param name the subscription's name
 * @param dryRun true to make a plan and create nothing
 * @param deploymentType {@code single-region} or {@code active-active}
 * @param paymentMethod {@code credit-card} or {@code marketplace}
 * @param paymentMethodId the credit card's id (with {@code credit-card})
 * @param memoryStorage {@code ram} or {@code ram-and-flash}
 * @param persistentStorageEncryptionType {@code cloud-provider-managed-key} or {@code
 *     customer-managed-key}
 * @param cloudProviders where to run (one provider; several regions for Active-Active)
 * @param databases the databases to create with it (at least one)
 * @param redisVersion the Redis version of its databases
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionCreateRequest(
    String name,
    Boolean dryRun,
    String deploymentType,
    String paymentMethod,
    Long paymentMethodId,
    String memoryStorage,
    String persistentStorageEncryptionType,
    List<CloudProviderSpec> cloudProviders,
    List<DatabaseSpec> databases,
    String redisVersion) {

  /**
   * A copy with another payment method id.
   *
   * @param id the payment method's id, or null for the account's default
   * @return a copy with that payment method
   */
  public SubscriptionCreateRequest withPaymentMethodId(Long id) {
    return new SubscriptionCreateRequest(
        name,
        dryRun,
        deploymentType,
        paymentMethod,
        id,
        memoryStorage,
        persistentStorageEncryptionType,
        cloudProviders,
        databases,
        redisVersion);
  }

  /**
   * A provider and its regions ({@code SubscriptionSpec}).
   *
   * @param provider {@code AWS} or {@code GCP}
   * @param cloudAccountId the cloud account (1 or null: Redis's own)
   * @param regions the regions
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CloudProviderSpec(String provider, Long cloudAccountId, List<RegionSpec> regions) {}

  /**
   * A region ({@code SubscriptionRegionSpec}).
   *
   * @param region the region's name
   * @param multipleAvailabilityZones whether to spread over zones
   * @param preferredAvailabilityZones the zones to prefer
   * @param networking its networking
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RegionSpec(
      String region,
      Boolean multipleAvailabilityZones,
      List<String> preferredAvailabilityZones,
      NetworkingSpec networking) {}

  /**
   * A region's networking ({@code SubscriptionRegionNetworkingSpec}).
   *
   * @param deploymentCidr the /24 deployment CIDR
   * @param vpcId an existing VPC (own cloud account only)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NetworkingSpec(
      @JsonProperty("deploymentCIDR") String deploymentCidr, String vpcId) {}
}
