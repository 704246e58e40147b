package dev.opsflow.hardware.maas;

import java.util.Optional;

/**
 * A MAAS machine's status: MAAS reports an integer {@code status} (what to compare) and a {@code
 * status_name} (what to show). Commissioning ends in {@link #READY}, possibly through {@link
 * #TESTING}; there is no "Commissioned" status.
 */
public enum MaasStatus {
  /** 0: enlisted, never commissioned. */
  NEW(0, "New"),
  /** 1: commissioning scripts are running. */
  COMMISSIONING(1, "Commissioning"),
  /** 2: commissioning failed; see the machine's status_message. */
  FAILED_COMMISSIONING(2, "Failed commissioning"),
  /** 3: the machine is missing. */
  MISSING(3, "Missing"),
  /** 4: commissioned and tested, ready to be allocated. */
  READY(4, "Ready"),
  /** 5: reserved. */
  RESERVED(5, "Reserved"),
  /** 6: an operating system is deployed. */
  DEPLOYED(6, "Deployed"),
  /** 7: retired. */
  RETIRED(7, "Retired"),
  /** 8: marked broken. */
  BROKEN(8, "Broken"),
  /** 9: an operating system is being deployed. */
  DEPLOYING(9, "Deploying"),
  /** 10: allocated to a user, not yet deployed. */
  ALLOCATED(10, "Allocated"),
  /** 11: deployment failed. */
  FAILED_DEPLOYMENT(11, "Failed deployment"),
  /** 12: being released. */
  RELEASING(12, "Releasing"),
  /** 13: release failed. */
  RELEASING_FAILED(13, "Releasing failed"),
  /** 14: disks are being erased. */
  DISK_ERASING(14, "Disk erasing"),
  /** 15: disk erasing failed. */
  FAILED_DISK_ERASING(15, "Failed disk erasing"),
  /** 16: in rescue mode. */
  RESCUE_MODE(16, "Rescue mode"),
  /** 17: entering rescue mode. */
  ENTERING_RESCUE_MODE(17, "Entering rescue mode"),
  /** 18: failed to enter rescue mode. */
  FAILED_ENTERING_RESCUE_MODE(18, "Failed to enter rescue mode"),
  /** 19: exiting rescue mode. */
  EXITING_RESCUE_MODE(19, "Exiting rescue mode"),
  /** 20: failed to exit rescue mode. */
  FAILED_EXITING_RESCUE_MODE(20, "Failed to exit rescue mode"),
  /** 21: hardware tests are running (after commissioning). */
  TESTING(21, "Testing"),
  /** 22: hardware tests failed; see the machine's status_message. */
  FAILED_TESTING(22, "Failed testing");

  private final int code;
  private final String displayName;

  MaasStatus(int code, String displayName) {
    this.code = code;
    this.displayName = displayName;
  }

  /** {@return the integer MAAS reports in {@code status}} */
  public int code() {
    return code;
  }

  /** {@return the name MAAS shows ({@code status_name})} */
  public String displayName() {
    return displayName;
  }

  /**
   * The status with this code, or empty for a code this version does not know.
   *
   * @param code the status code MAAS reports
   * @return the status, or empty
   */
  public static Optional<MaasStatus> fromCode(int code) {
    for (MaasStatus s : values()) {
      if (s.code == code) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** {@return whether this status ends commissioning in failure (2, 22 or 8)} */
  public boolean failsCommissioning() {
    return this == FAILED_COMMISSIONING || this == FAILED_TESTING || this == BROKEN;
  }

  /** {@return whether this status ends a deployment in failure (11 or 8)} */
  public boolean failsDeployment() {
    return this == FAILED_DEPLOYMENT || this == BROKEN;
  }
}
