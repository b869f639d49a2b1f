package org.mcpplatform.deployment;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboundAddressesTest {

    private final OutboundAddresses publicOnly = OutboundAddresses.publicOnly();

    @Test
    void refuses_addresses_that_are_not_public() {
        for (String url : List.of("http://127.0.0.1:8080/mcp", "http://169.254.169.254/latest/meta-data",
                "https://10.1.2.3/mcp", "http://[::1]:3000/mcp", "http://localhost:3000/mcp", "http://0.0.0.0/",
                "http://192.168.1.10/", "http://172.20.0.5/", "http://100.64.0.1/", "http://224.0.0.1/",
                "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/",
                "http://[64:ff9b::a01:203]/", "http://[2002:7f00:1::]/", "http://2130706433/")) {
            assertThatThrownBy(() -> publicOnly.check(url)).as(url)
                    .isInstanceOf(OutboundAddresses.ForbiddenOutboundAddressException.class);
        }
    }

    @Test
    void accepts_a_public_address_by_resolution_alone() {
        assertThat(publicOnly.check("https://93.184.216.34/mcp").getHost()).isEqualTo("93.184.216.34");
        assertThat(publicOnly.check("http://[2606:4700:4700::1111]/mcp")).isNotNull();
    }

    @Test
    void refuses_other_schemes_credentials_and_garbage() {
        for (String url : List.of("file:///etc/passwd", "ftp://93.184.216.34/", "gopher://93.184.216.34/",
                "https://user:pw@93.184.216.34/", "not a url", "https:///nohost")) {
            assertThatThrownBy(() -> publicOnly.check(url)).as(url)
                    .isInstanceOf(OutboundAddresses.ForbiddenOutboundAddressException.class);
        }
    }

    @Test
    void configuration_can_allow_ranges_and_hosts() {
        var allowing = OutboundAddresses.fromProperty("127.0.0.0/8, 10.1.0.0/16 ,internal.example");
        assertThat(allowing.check("http://127.0.0.1:8080/mcp")).isNotNull();
        assertThat(allowing.check("http://10.1.2.3/mcp")).isNotNull();
        assertThat(allowing.check("http://internal.example/mcp")).isNotNull();
        assertThatThrownBy(() -> allowing.check("http://10.2.0.1/mcp"))
                .isInstanceOf(OutboundAddresses.ForbiddenOutboundAddressException.class);
        assertThatThrownBy(() -> allowing.check("http://169.254.169.254/"))
                .isInstanceOf(OutboundAddresses.ForbiddenOutboundAddressException.class);
        assertThat(OutboundAddresses.fromProperty(" ").mayReach(java.net.InetAddress.getLoopbackAddress())).isFalse();
    }
}
