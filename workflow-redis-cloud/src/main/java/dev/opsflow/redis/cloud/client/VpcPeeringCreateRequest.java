package dev.opsflow.redis.cloud.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of {@code POST /subscriptions/{id}/peerings}: for AWS {@code region}, {@code
 * awsAccountId} and {@code vpcId} are required (with {@code vpcCidr} or {@code vpcCidrs}); for GCP
 * {@code vpcProjectUid} and {@code vpcNetworkName}. Null fields are left out. Immutable.
 *
 * @param provider {@code AWS} or {@code GCP}
 * @param region the AWS region of the peer VPC
 * @param awsAccountId the peer AWS account
 * @param vpcId the peer AWS VPC
 * @param vpcCidr the peer VPC's CIDR
 * @param vpcCidrs the peer VPC's CIDRs
 * @param vpcProjectUid the peer GCP project
 * @param vpcNetworkName the peer GCP network
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VpcPeeringCreateRequest(
    String provider,
    String region,
    String awsAccountId,
    String vpcId,
    String vpcCidr,
    List<String> vpcCidrs,
    String vpcProjectUid,
    String vpcNetworkName) {

  /**
   * An AWS peering to one VPC with one CIDR.
   *
   * @param region the AWS region of the peer VPC
   * @param awsAccountId the peer AWS account
   * @param vpcId the peer AWS VPC
   * @param vpcCidr the peer VPC's CIDR
   * @return the request
   */
  public static VpcPeeringCreateRequest aws(
      String region, String awsAccountId, String vpcId, String vpcCidr) {
    return new VpcPeeringCreateRequest(
        "AWS", region, awsAccountId, vpcId, vpcCidr, null, null, null);
  }

  /**
   * A GCP peering to one network.
   *
   * @param projectUid the peer's GCP project
   * @param networkName the peer's VPC network
   * @return the request
   */
  public static VpcPeeringCreateRequest gcp(String projectUid, String networkName) {
    return new VpcPeeringCreateRequest(
        "GCP", null, null, null, null, null, projectUid, networkName);
  }
}
