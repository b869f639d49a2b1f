package org.mcpplatform.identity;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The users and api_keys tables (or, for a rebuild, their shadows). Only {@link UserProjection} calls the writing
 * methods; everyone reads through {@link UserQueries}.
 */
public class UserReadRepository {

    private static final String USER_COLUMNS = "id, username, email, role, is_active, created_at, updated_at";
    private static final String KEY_COLUMNS = "id, user_id, name, prefix, expires_at, created_at, revoked_at";
    private static final int IN_CHUNK = 500;

    public static final String USERS = "users";
    public static final String API_KEYS = "api_keys";

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final String users;
    private final String apiKeys;
    private final RowMapper<UserView> userMapper = UserReadRepository::toUser;
    private final RowMapper<ApiKeyView> keyMapper = UserReadRepository::toKey;

    public UserReadRepository(JdbcTemplate jdbc) {
        this(jdbc, USERS, API_KEYS);
    }

    /** On other tables of the same columns: a rebuild's shadows of users and api_keys. */
    UserReadRepository(JdbcTemplate jdbc, String users, String apiKeys) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.users = users;
        this.apiKeys = apiKeys;
    }

    /**
     * What the unique constraints compare: usernames and emails are equal when they are equal ignoring case, the same
     * on every database (the key columns have a binary collation).
     */
    static String key(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    public Optional<UserView> findUserById(String id) {
        return jdbc.query("SELECT " + USER_COLUMNS + " FROM " + users + " WHERE id = ?", userMapper, id)
                   .stream().findFirst();
    }

    public Optional<UserView> findUserByUsername(String username) {
        return jdbc.query("SELECT " + USER_COLUMNS + " FROM " + users + " WHERE username_key = ?", userMapper,
                          key(username))
                   .stream().findFirst();
    }

    public Optional<ApiKeyView> findKey(String id) {
        return jdbc.query("SELECT " + KEY_COLUMNS + " FROM " + apiKeys + " WHERE id = ?", keyMapper, id)
                   .stream().findFirst();
    }

    /** Newest first; keys issued at the same instant in a fixed order. */
    public List<ApiKeyView> keysOf(String userId) {
        return jdbc.query("SELECT " + KEY_COLUMNS + " FROM " + apiKeys
                                  + " WHERE user_id = ? ORDER BY created_at DESC, id DESC",
                          keyMapper, userId);
    }

    // ---- writes (the projection's) ----------------------------------------------------------------------------

    /**
     * Writes registered users whole: any stored row of theirs (the registration handled again) is deleted first.
     * Not INSERT ... ON DUPLICATE KEY UPDATE: on a clash with another user's username or email, that would quietly
     * overwrite the other user's row; a plain insert fails instead, and with it the batch.
     */
    void replaceUsers(List<UserRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        deleteByIds(users, rows.stream().map(row -> row.id).toList());
        jdbc.batchUpdate("INSERT INTO " + users + " (id, username, username_key, email, email_key, role, is_active,"
                                 + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         rows, rows.size(), (statement, row) -> {
                    statement.setString(1, row.id);
                    statement.setString(2, row.username);
                    statement.setString(3, key(row.username));
                    statement.setString(4, row.email);
                    statement.setString(5, key(row.email));
                    statement.setString(6, row.role.value());
                    statement.setBoolean(7, row.active);
                    statement.setObject(8, utc(row.createdAt));
                    statement.setObject(9, utc(row.updatedAt));
                });
    }

    /** Applies role and activity changes to stored users. Returns the ids that have no stored row, changing nothing. */
    List<String> updateUsers(List<UserRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        // asked first rather than read from the update counts, which a driver's batch protocol may leave out
        List<String> ids = rows.stream().map(row -> row.id).toList();
        Map<String, String> stored = existing(users, "id", ids);
        List<String> missing = ids.stream().filter(id -> !stored.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            return missing;
        }
        // one statement shape for every row, so that the batch is one round trip: a null parameter keeps the column
        jdbc.batchUpdate("UPDATE " + users + " SET role = COALESCE(?, role), is_active = COALESCE(?, is_active),"
                                 + " updated_at = ? WHERE id = ?",
                         rows, rows.size(), (statement, row) -> {
                    statement.setString(1, row.role == null ? null : row.role.value());
                    if (row.active == null) {
                        statement.setNull(2, Types.BOOLEAN);
                    } else {
                        statement.setBoolean(2, row.active);
                    }
                    statement.setObject(3, utc(row.updatedAt));
                    statement.setString(4, row.id);
                });
        return List.of();
    }

    /** Writes issued keys whole, replacing any stored row of theirs (the issue handled again). */
    void replaceKeys(List<ApiKeyRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        deleteByIds(apiKeys, rows.stream().map(row -> row.id).toList());
        jdbc.batchUpdate("INSERT INTO " + apiKeys + " (" + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                         rows, rows.size(), (statement, row) -> {
                    statement.setString(1, row.id);
                    statement.setString(2, row.userId);
                    statement.setString(3, row.name);
                    statement.setString(4, row.prefix);
                    statement.setObject(5, utc(row.expiresAt));
                    statement.setObject(6, utc(row.createdAt));
                    statement.setObject(7, utc(row.revokedAt));
                });
    }

    /**
     * Records revocations of stored keys. Returns the ids that have no stored row of the revoking user, changing
     * nothing.
     */
    List<String> updateKeys(List<ApiKeyRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, String> owners = existing(apiKeys, "user_id", rows.stream().map(row -> row.id).toList());
        List<String> missing = rows.stream().filter(row -> !Objects.equals(owners.get(row.id), row.userId))
                                   .map(row -> row.id).toList();
        if (!missing.isEmpty()) {
            return missing;
        }
        jdbc.batchUpdate("UPDATE " + apiKeys + " SET revoked_at = ? WHERE id = ?", rows, rows.size(),
                         (statement, row) -> {
                             statement.setObject(1, utc(row.revokedAt));
                             statement.setString(2, row.id);
                         });
        return List.of();
    }

    void deleteAll() {
        jdbc.update("DELETE FROM " + apiKeys);
        jdbc.update("DELETE FROM " + users);
    }

    /** id -> {@code column} of the stored rows among {@code ids}. */
    private Map<String, String> existing(String table, String column, Collection<String> ids) {
        Map<String, String> found = new HashMap<>();
        forChunks(ids, chunk -> named.query("SELECT id, " + column + " FROM " + table + " WHERE id IN (:ids)",
                                            new MapSqlParameterSource("ids", chunk),
                                            rs -> {
                                                found.put(rs.getString(1), rs.getString(2));
                                            }));
        return found;
    }

    private void deleteByIds(String table, Collection<String> ids) {
        forChunks(ids, chunk -> named.update("DELETE FROM " + table + " WHERE id IN (:ids)",
                                             new MapSqlParameterSource("ids", chunk)));
    }

    private static void forChunks(Collection<String> ids, Consumer<List<String>> action) {
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            action.accept(new ArrayList<>(all.subList(from, Math.min(all.size(), from + IN_CHUNK))));
        }
    }

    // ---- mapping ----------------------------------------------------------------------------------------------

    private static UserView toUser(ResultSet rs, int rowNum) throws SQLException {
        return new UserView(rs.getString("id"),
                            rs.getString("username"),
                            rs.getString("email"),
                            Role.fromValue(rs.getString("role")),
                            rs.getBoolean("is_active"),
                            instant(rs, "created_at"),
                            instant(rs, "updated_at"));
    }

    private static ApiKeyView toKey(ResultSet rs, int rowNum) throws SQLException {
        return new ApiKeyView(rs.getString("id"),
                              rs.getString("user_id"),
                              rs.getString("name"),
                              rs.getString("prefix"),
                              instant(rs, "expires_at"),
                              instant(rs, "created_at"),
                              instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        LocalDateTime value = rs.getObject(column, LocalDateTime.class);
        return value == null ? null : value.toInstant(ZoneOffset.UTC);
    }

    /**
     * DATETIME(6) keeps microseconds, and what happens to the rest differs (MySQL rounds, MariaDB truncates): cut it
     * here, so that every database stores, and a replay writes again, the same instant.
     */
    private static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
