package org.mcpplatform.logging;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the redaction leaves alone: the words around secrets, and text that only looks like a name and a value. */
class RedactorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Fetched token: GapAwareTrackingToken{index=5} for segment Segment[0/0]
            \tat org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore.fetchToken(JpaTokenStore.java:123)
            mcp_cache_requests_total{cache="tool",result="hit"} 5.0
            Migrating schema `mcp_test_1125` to version "1 - mcp tools"
            grant_type=password&scope=all
            GET /api/v1/mcps?page=1&page_size=20 200 12 ms
            {"name":"Weather","config":{"mcpServers":{"weather":{"command":"npx","args":["-y","x"]}}}}
            Missing bearer token
            """)
    void leavesTextWithoutSecretsAsItIs(String text) {
        assertThat(Redactor.redact(text)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            note: password=hunter22                                    | note: password=***
            {"clientSecret": "abc def"}                                | {"clientSecret": "***"}
            headers={Accept=[*/*], Authorization=[Bearer abc.def.ghi]} | headers={Accept=***, Authorization=***}
            key mcp_0123456789abcdef0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ok | key mcp_0123*** ok
            """)
    void masksSecretsAndKeepsTheirNames(String text, String redacted) {
        assertThat(Redactor.redact(text)).isEqualTo(redacted);
    }
}
