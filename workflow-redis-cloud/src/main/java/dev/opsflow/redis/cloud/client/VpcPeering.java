package dev.opsflow.redis.cloud.client;

import java.util.List;

/**
 * A VPC peering of a subscription, as the task of {@code GET /subscriptions/{id}/peerings} lists
 * it. Immutable.
 *
 * @param vpcPeeringId its id
 * @param status {@code pending-acceptance}, {@code active}, ...
 * @param awsAccountId the peer AWS account
 * @param vpcUid the peer AWS VPC
 * @param vpcCidr the peer VPC's CIDR
 * @param vpcCidrs the peer VPC's CIDRs
 * @param projectUid the peer GCP project
 * @param networkName the peer GCP network
 * @param region the region of an AWS peering
 */
public record VpcPeering(
    long vpcPeeringId,
    String status,
    String awsAccountId,
    String vpcUid,
    String vpcCidr,
    List<String> vpcCidrs,
    String projectUid,
    String networkName,
    String region) {}
