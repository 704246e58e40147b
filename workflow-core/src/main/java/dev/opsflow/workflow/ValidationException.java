package dev.opsflow.workflow;

import java.util.List;
import java.util.Map;

/**
 * Bad input, found before anything ran. The message names the field, the value (unless secret) and
 * what is expected; {@link #problems()} lists every problem found, not just the first.
 */
public class ValidationException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  /** Every problem found, each naming the field, the value and what is expected. */
  private final List<String> problems;

  /**
   * One problem.
   *
   * @param message the problem: the field, the value and what is expected
   */
  public ValidationException(String message) {
    this(List.of(message));
  }

  /**
   * Several problems, reported together.
   *
   * @param problems every problem found, each naming the field, the value and what is expected
   */
  public ValidationException(List<String> problems) {
    super(
        ErrorKind.VALIDATION,
        problems.size() == 1 ? problems.get(0) : "invalid input: " + String.join("; ", problems),
        null,
        false,
        Map.of(),
        List.of("fix the input and run again"));
    this.problems = List.copyOf(problems);
  }

  /** {@return every problem found} */
  public List<String> problems() {
    return problems;
  }
}
