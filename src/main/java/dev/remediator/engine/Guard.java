package dev.remediator.engine;

import java.sql.SQLException;

/** One check a remediation must pass before it may act. Guards never act themselves. */
public interface Guard {
  /** The name audited with each verdict, e.g. {@code cooldown}. */
  String name();

  Verdict check(DecisionContext context) throws SQLException;
}
