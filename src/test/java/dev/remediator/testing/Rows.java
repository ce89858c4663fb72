package dev.remediator.testing;

import dev.remediator.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads query results as strings, one per row with columns joined by " | ", for exact assertions. */
public final class Rows {
  private Rows() {}

  public static List<String> of(Database database, String sql, Object... args) {
    return database.inTransaction(connection -> of(connection, sql, args));
  }

  public static List<String> of(Connection connection, String sql, Object... args) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        select.setObject(i + 1, args[i]);
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= columns; i++) {
            row.append(i > 1 ? " | " : "").append(rs.getString(i));
          }
          rows.add(row.toString());
        }
      }
      return rows;
    }
  }
}
