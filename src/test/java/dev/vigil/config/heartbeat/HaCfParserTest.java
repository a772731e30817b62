package dev.vigil.config.heartbeat;

import dev.vigil.config.Diagnostic;
import dev.vigil.config.ParseResult;
import dev.vigil.config.Secret;
import dev.vigil.config.Severity;
import dev.vigil.config.heartbeat.HaCf.AutoFailback;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.vigil.config.heartbeat.TestFiles.errors;
import static dev.vigil.config.heartbeat.TestFiles.warnings;
import static org.assertj.core.api.Assertions.assertThat;

class HaCfParserTest {

    @TempDir
    Path dir;

    /** A complete, valid two-node config; tests append or prepend the directive under test. */
    static final String BASE = "node nodea\nnode nodeb\nauto_failback on\n";

    ParseResult<HaCf> parse(String content) {
        return new HaCfParser().parse(TestFiles.write(dir, "ha.cf", content));
    }

    static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    @Nested
    class RealConfigs {
        @Test
        void theFixtureUsedWithRealHeartbeatParsesWithoutAnyDiagnostic() {
            ParseResult<HaCf> r = new HaCfParser().parse(TestFiles.resource("heartbeat-config/two-node-bcast/ha.cf"));
            assertThat(r.diagnostics().all()).isEmpty();
            HaCf cf = r.model();
            assertThat(cf.nodes()).extracting(HaCf.Node::name).containsExactly("nodea", "nodeb");
            assertThat(cf.keepalive().value()).isEqualTo(ms(1000));
            assertThat(cf.deadtime().value()).isEqualTo(ms(5000));
            assertThat(cf.warntime().value()).isEqualTo(ms(3000));
            assertThat(cf.initdead().value()).isEqualTo(ms(10000));
            assertThat(cf.udpPort().value()).isEqualTo(694);
            assertThat(cf.media()).singleElement().isInstanceOfSatisfying(Medium.Bcast.class, b -> {
                assertThat(b.device()).isEqualTo("hb0");
                assertThat(b.port()).isEqualTo(694);
                assertThat(b.location().line()).isEqualTo(10);
            });
            assertThat(cf.autoFailback().value()).isEqualTo(AutoFailback.ON);
            assertThat(cf.logFile()).get().extracting(Setting::value).isEqualTo("/var/log/ha/ha-log");
            assertThat(cf.useLogd().value()).isFalse();
        }

        @Test
        void fastFixtureMixesMillisecondsAndSeconds() {
            ParseResult<HaCf> r = new HaCfParser().parse(TestFiles.resource("heartbeat-config/two-node-bcast/ha.cf-fast"));
            assertThat(errors(r.diagnostics())).isEmpty();
            assertThat(r.model().keepalive().value()).isEqualTo(ms(200));
            assertThat(r.model().deadtime().value()).isEqualTo(ms(1000));
            assertThat(r.model().warntime().value()).isEqualTo(ms(500));
        }

        @Test
        void ucastAndMcastFixtureGivesThreeMediaWithTheirPorts() {
            ParseResult<HaCf> r = new HaCfParser().parse(TestFiles.resource("heartbeat-config/ucast-mcast/ha.cf"));
            assertThat(r.diagnostics().all()).isEmpty();
            assertThat(r.model().media()).containsExactly(
                    new Medium.Ucast("hb0", "10.231.0.1", 694, r.model().media().get(0).location()),
                    new Medium.Ucast("hb0", "10.231.0.2", 694, r.model().media().get(1).location()),
                    new Medium.Mcast("hb0", "239.192.0.42", 694, 1, false, r.model().media().get(2).location()));
        }

        @Test
        void serialFixtureRunsAtTheBaudSetBeforeIt() {
            ParseResult<HaCf> r = new HaCfParser().parse(TestFiles.resource("heartbeat-config/serial/ha.cf"));
            assertThat(errors(r.diagnostics())).isEmpty();
            assertThat(r.model().media()).singleElement().isEqualTo(
                    new Medium.Serial("/tmp/sertest/ttyA", 19200, r.model().media().get(0).location()));
            // deadtime 3 s, initdead 6 s: heartbeat itself warns "Initial dead time [6000 ms] may be too small!".
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.line()).isEqualTo(8));
        }
    }

    @Nested
    class Defaults {
        @Test
        void absentTimingDirectivesTakeHeartbeatDefaultsAndDerivedValues() {
            HaCf cf = parse("bcast eth0\n" + BASE).model();
            assertThat(cf.keepalive()).isEqualTo(Setting.byDefault(ms(1000)));
            assertThat(cf.deadtime()).isEqualTo(Setting.byDefault(ms(30000)));
            assertThat(cf.warntime()).isEqualTo(Setting.byDefault(ms(15000)));
            assertThat(cf.initdead()).isEqualTo(Setting.byDefault(ms(30000)));
            assertThat(cf.deadping()).isEqualTo(Setting.byDefault(ms(30000)));
            assertThat(cf.udpPort()).isEqualTo(Setting.byDefault(694));
            assertThat(cf.baud()).isEqualTo(Setting.byDefault(19200));
            assertThat(cf.hopfudge().value()).isEqualTo(1);
            assertThat(cf.messageFormat().value()).isEqualTo(HaCf.MessageFormat.CLASSIC);
            assertThat(cf.maxRexmitDelay().value()).isEqualTo(ms(250));
            assertThat(cf.logFacility().value()).isEqualTo("none");
        }

        @Test
        void initdeadDefaultFollowsInitConfigRules() {
            assertThat(parse("bcast eth0\ndeadtime 5\n" + BASE).model().initdead().value()).isEqualTo(ms(12000));
            assertThat(parse("bcast eth0\ndeadtime 8\n" + BASE).model().initdead().value()).isEqualTo(ms(16000));
            assertThat(parse("bcast eth0\ndeadtime 20\n" + BASE).model().initdead().value()).isEqualTo(ms(20000));
        }

        @Test
        void autoFailbackLegacyIsTheDefaultAndIsWarnedAboutAtLineZero() {
            ParseResult<HaCf> r = parse("bcast eth0\nnode a\nnode b\n");
            assertThat(r.model().autoFailback()).isEqualTo(Setting.byDefault(AutoFailback.LEGACY));
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> {
                assertThat(w.line()).isZero();
                assertThat(w.message()).contains("legacy");
            });
        }

        @Test
        void apiauthHasHeartbeatsBuiltInClientsUnlessTheFileNamesThem() {
            HaCf cf = parse("bcast eth0\n" + BASE + "apiauth ipfail uid=root\n").model();
            assertThat(cf.apiAuth()).extracting(HaCf.ApiAuth::client).containsExactly("ipfail", "ccm", "ping", "lha-snmpagent", "anon");
            assertThat(cf.apiAuth().get(0).uids()).containsExactly("root");
            assertThat(cf.apiAuth().get(0).builtIn()).isFalse();
            assertThat(cf.apiAuth().get(1).uids()).containsExactly("hacluster");
            assertThat(cf.apiAuth().get(1).builtIn()).isTrue();
        }
    }

    @Nested
    class Units {
        Duration keepalive(String value) {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "keepalive " + value + "\ndeadtime 100\n");
            assertThat(errors(r.diagnostics())).isEmpty();
            return r.model().keepalive().value();
        }

        @Test
        void plainNumbersAreSecondsAndMayHaveFractions() {
            assertThat(keepalive("2")).isEqualTo(ms(2000));
            assertThat(keepalive("1.5")).isEqualTo(ms(1500));
            assertThat(keepalive(".25")).isEqualTo(ms(250));
        }

        @Test
        void msAndUsSuffixesAnyCaseRoundHalfUp() {
            assertThat(keepalive("500ms")).isEqualTo(ms(500));
            assertThat(keepalive("500MS")).isEqualTo(ms(500));
            assertThat(keepalive("20msec")).isEqualTo(ms(20));
            assertThat(keepalive("250000us")).isEqualTo(ms(250));
            assertThat(keepalive("1501us")).isEqualTo(ms(2));
        }

        @Test
        void secondsSuffixIsRejectedAsHeartbeatDoesWithAHint() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "keepalive 2s\n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
                assertThat(e.line()).isEqualTo(5);
                assertThat(e.column()).isEqualTo(11);
                assertThat(e.message()).contains("'2s' is not a time");
                assertThat(e.hint()).contains("write '2'");
            });
        }

        @Test
        void microsecondsThatRoundToZeroMakeAnInvalidKeepalive() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "keepalive 499us\n");
            assertThat(errors(r.diagnostics())).extracting(Diagnostic::message).anyMatch(m -> m.contains("keepalive must be more than 0"));
        }

        @Test
        void aNumberAndItsUnitSeparatedBySpaceAreTwoValues() {
            // heartbeat splits values at blanks, so "5 ms" sets 5 s and then fails on "ms".
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "deadtime 5 ms\n");
            assertThat(errors(r.diagnostics())).extracting(Diagnostic::column).contains(12);
        }
    }

    @Nested
    class Syntax {
        @Test
        void commentsTabsTrailingBlanksAndUtf8CommentsAreIgnored() {
            ParseResult<HaCf> r = parse("# Quelle carte réseau ? ネットワーク\n\tbcast\teth1   # 对端\nkeepalive 2  \n"
                    + " node  nodea,nodeb\nauto_failback on#no space before the comment\n");
            assertThat(r.diagnostics().all()).isEmpty();
            assertThat(r.model().nodes()).extracting(HaCf.Node::name).containsExactly("nodea", "nodeb");
            assertThat(r.model().media()).singleElement().extracting(Medium::device).isEqualTo("eth1");
            assertThat(r.model().keepalive().value()).isEqualTo(ms(2000));
        }

        @Test
        void crlfLineEndingsAreReadLikeLf() {
            ParseResult<HaCf> r = parse("bcast eth0\r\nkeepalive 2\r\ndeadtime 10\r\nnode a\r\nnode b\r\nauto_failback on\r\n");
            assertThat(r.diagnostics().all()).isEmpty();
            assertThat(r.model().deadtime().value()).isEqualTo(ms(10000));
            assertThat(r.model().nodes()).extracting(HaCf.Node::name).containsExactly("a", "b");
        }

        @Test
        void textAfterALoneCarriageReturnIsIgnoredLikeHeartbeatWithAWarning() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "keepalive 2\rdeadtime 3\n");
            assertThat(r.model().keepalive().value()).isEqualTo(ms(2000));
            assertThat(r.model().deadtime().isDefault()).isTrue();
            assertThat(warnings(r.diagnostics())).extracting(Diagnostic::message).anyMatch(m -> m.contains("carriage return"));
        }

        @Test
        void misspelledUndportIsAnErrorSuggestingUdpport() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "undport         694\n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
                assertThat(e.line()).isEqualTo(5);
                assertThat(e.column()).isEqualTo(1);
                assertThat(e.message()).isEqualTo("unknown directive 'undport'");
                assertThat(e.hint()).isEqualTo("did you mean 'udpport'?");
            });
        }

        @Test
        void directiveNamesAreCaseSensitive() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "Keepalive 2\n");
            assertThat(errors(r.diagnostics())).singleElement()
                    .satisfies(e -> assertThat(e.hint()).isEqualTo("directive names are case-sensitive: write 'keepalive'"));
        }

        @Test
        void aNodeNameWrittenAsADirectiveGetsANodeHint() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "tim2 tim2\n");
            assertThat(errors(r.diagnostics())).singleElement()
                    .satisfies(e -> assertThat(e.hint()).isEqualTo("if 'tim2' is a cluster node, declare it as 'node tim2'"));
        }

        @Test
        void aDirectiveWithoutValueIsAnErrorRightAfterItsName() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "  deadtime   \n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
                assertThat(e.line()).isEqualTo(5);
                assertThat(e.column()).isEqualTo(11);
                assertThat(e.message()).isEqualTo("'deadtime' needs a value");
            });
        }

        @Test
        void aBadValueIsAnErrorAtItsColumn() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "deadtime ten\n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
                assertThat(e.line()).isEqualTo(5);
                assertThat(e.column()).isEqualTo(10);
            });
        }

        @Test
        void commasAfterTheDirectiveNameAreSkippedForWholeLineDirectivesToo() {
            ParseResult<HaCf> r = parse("ucast ,eth0 10.0.0.2\n" + BASE);
            assertThat(r.diagnostics().all()).isEmpty();
            assertThat(r.model().media()).singleElement().extracting(Medium::device).isEqualTo("eth0");
        }

        @Test
        void aRejectedTimeIsNotComparedWithTheOthers() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "keepalive 20\ndeadtime 30x\n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(6));
        }

        @Test
        void aScalarGivenTwiceWarnsAndTheLaterValueWins() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "keepalive 1\nkeepalive 2\ndeadtime 10\n");
            assertThat(r.model().keepalive().value()).isEqualTo(ms(2000));
            assertThat(r.model().keepalive().source()).get().extracting(l -> l.line()).isEqualTo(6);
            assertThat(warnings(r.diagnostics())).extracting(Diagnostic::line).containsExactly(6);
        }

        @Test
        void aScalarWithTwoValuesWarnsAndTheLastWins() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "keepalive 1,2\ndeadtime 10\n");
            assertThat(r.model().keepalive().value()).isEqualTo(ms(2000));
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.column()).isEqualTo(13));
        }
    }

    @Nested
    class Nodes {
        @Test
        void severalNodesPerLineSeparatedByBlanksOrCommas() {
            HaCf cf = parse("bcast eth0\nnode a b,c\nauto_failback on\n").model();
            assertThat(cf.nodes()).extracting(HaCf.Node::name).containsExactly("a", "b", "c");
            assertThat(cf.nodes()).extracting(n -> n.location().column()).containsExactly(6, 8, 10);
        }

        @Test
        void nodeNamesAreComparedCaseInsensitivelyAsHeartbeatLowercasesThem() {
            ParseResult<HaCf> r = parse("bcast eth0\nnode NodeA\nnode nodeb\nnode NODEA\nauto_failback on\n");
            assertThat(r.model().nodes()).hasSize(2);
            assertThat(r.model().hasNode("nodea")).isTrue();
            assertThat(r.model().node("NODEB")).get().extracting(HaCf.Node::canonicalName).isEqualTo("nodeb");
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.line()).isEqualTo(4));
        }

        @Test
        void noNodeIsAnErrorUnlessAutojoinAny() {
            ParseResult<HaCf> r = parse("bcast eth0\nauto_failback on\n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
                assertThat(e.line()).isZero();
                assertThat(e.message()).contains("no nodes defined");
            });
        }

        @Test
        void autojoinOtherOrAnyIsRefusedInV1ModeAsHeartbeatDoes() {
            ParseResult<HaCf> r = parse("bcast eth0\nautojoin any\nauto_failback on\n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
                assertThat(e.line()).isEqualTo(2);
                assertThat(e.message()).contains("haresources (v1) mode");
            });
            assertThat(errors(parse("bcast eth0\n" + BASE + "autojoin none\n").diagnostics())).isEmpty();
        }

        @Test
        void templatePlaceholdersAreNotNodeNames() {
            ParseResult<HaCf> r = parse("bcast eth0\nnode ${NODE1}\nnode b\nauto_failback on\n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> assertThat(e.message()).contains("placeholder"));
        }
    }

    @Nested
    class Media {
        @Test
        void bcastWithSeveralInterfacesGivesOneMediumEach() {
            HaCf cf = parse("bcast eth0 eth1\n" + BASE).model();
            assertThat(cf.media()).extracting(Medium::device).containsExactly("eth0", "eth1");
        }

        @Test
        void udpIsTheOldNameOfBcastAndIsWarned() {
            ParseResult<HaCf> r = parse("udp eth0\n" + BASE);
            assertThat(r.model().media()).singleElement().isInstanceOf(Medium.Bcast.class);
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.message()).contains("'udp' is the old name"));
        }

        @Test
        void udpportBeforeTheMediaSetsTheirPort() {
            HaCf cf = parse("udpport 695\nbcast eth0\nucast eth1 10.0.0.2\nmcast eth2 239.1.1.1 700 1 0\n" + BASE).model();
            assertThat(cf.media()).extracting(m -> m instanceof Medium.Bcast b ? b.port()
                    : m instanceof Medium.Ucast u ? u.port() : ((Medium.Mcast) m).port()).containsExactly(695, 695, 700);
        }

        @Test
        void udpportAfterABcastLineLeavesThatPluginOnItsPortWithAWarning() {
            // bcast.c:bcast_init reads udpport once, when the first bcast line is parsed.
            ParseResult<HaCf> r = parse("bcast eth0\nudpport 695\nbcast eth1\nucast eth2 10.0.0.2\n" + BASE);
            assertThat(r.model().media()).extracting(m -> m instanceof Medium.Bcast b ? b.port() : ((Medium.Ucast) m).port())
                    .containsExactly(694, 694, 695);
            assertThat(r.model().udpPort().value()).isEqualTo(695);
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> {
                assertThat(w.line()).isEqualTo(2);
                assertThat(w.message()).contains("already took port 694");
            });
        }

        @Test
        void udpportAfterMediaWithTheSamePortIsNotWarned() {
            assertThat(parse("bcast eth0\nudpport 694\n" + BASE).diagnostics().all()).isEmpty();
        }

        @Test
        void baudBeforeSerialSetsTheLineSpeed() {
            HaCf cf = parse("baud 38400\nserial /dev/ttyS0 /dev/ttyS1\n" + BASE).model();
            assertThat(cf.media()).extracting(m -> ((Medium.Serial) m).baud()).containsExactly(38400, 38400);
        }

        @Test
        void baudAfterSerialIsWarnedAndTheLineStaysAtTheDefault() {
            ParseResult<HaCf> r = parse("serial /dev/ttyS0\nbaud 38400\n" + BASE);
            assertThat(r.model().media()).singleElement().extracting(m -> ((Medium.Serial) m).baud()).isEqualTo(19200);
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> {
                assertThat(w.line()).isEqualTo(2);
                assertThat(w.message()).contains("already runs at 19200 baud");
            });
        }

        @Test
        void baudTwiceAndUnknownSpeedsAreErrors() {
            assertThat(errors(parse("baud 19200\nbaud 9600\nserial /dev/ttyS0\n" + BASE).diagnostics()))
                    .singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(2));
            assertThat(errors(parse("baud 14400\nserial /dev/ttyS0\n" + BASE).diagnostics()))
                    .singleElement().satisfies(e -> assertThat(e.message()).contains("invalid baud rate"));
        }

        @Test
        void serialNeedsAFullPath() {
            assertThat(errors(parse("serial ttyS0\nbcast eth0\n" + BASE).diagnostics()))
                    .singleElement().satisfies(e -> assertThat(e.message()).contains("not a full path"));
        }

        @Test
        void mcastChecksEachFieldAsHeartbeatsPluginDoes() {
            assertThat(errors(parse("mcast eth0 10.0.0.1 694 1 0\n" + BASE).diagnostics()))
                    .singleElement().satisfies(e -> assertThat(e.column()).isEqualTo(12));
            assertThat(errors(parse("mcast eth0 239.0.0.1 694 5 0\n" + BASE).diagnostics()))
                    .singleElement().satisfies(e -> {
                        assertThat(e.column()).isEqualTo(26);
                        assertThat(e.message()).contains("0-4");
                    });
            assertThat(errors(parse("mcast eth0 239.0.0.1 694 1\n" + BASE).diagnostics()))
                    .singleElement().satisfies(e -> assertThat(e.message()).contains("missing its loop"));
        }

        @Test
        void ucastNeedsAPeerAndIgnoresExtraWordsWithAWarning() {
            assertThat(errors(parse("ucast eth0\nbcast eth1\n" + BASE).diagnostics()))
                    .singleElement().satisfies(e -> assertThat(e.message()).contains("missing the peer"));
            ParseResult<HaCf> r = parse("ucast eth0 node2.example.com extra\n" + BASE);
            assertThat(r.model().media()).singleElement().extracting(m -> ((Medium.Ucast) m).peer()).isEqualTo("node2.example.com");
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.column()).isEqualTo(30));
        }

        @Test
        void ipv6MediaAreReadWithTheirOwnChecks() {
            HaCf cf = parse("ucast6 eth0 fe80::2%eth0\nmcast6 eth0 ff12::1:2:3:4 694 1 0\n" + BASE).model();
            assertThat(cf.media()).hasSize(2);
            assertThat(errors(parse("ucast6 eth0 ::1\nbcast eth0\n" + BASE).diagnostics())).hasSize(1);
        }

        @Test
        void pingAndPingGroupArePingNodesNotMedia() {
            HaCf cf = parse("bcast eth0\nping 10.0.0.254 gw.example.com\nping_group routers 10.0.0.1 10.0.0.2\n" + BASE).model();
            assertThat(cf.media()).hasSize(1);
            assertThat(cf.pingTargets()).extracting(PingTarget::name).containsExactly("10.0.0.254", "gw.example.com", "routers");
            assertThat(((PingTarget.PingGroup) cf.pingTargets().get(2)).addresses()).containsExactly("10.0.0.1", "10.0.0.2");
        }

        @Test
        void noMediumIsAnErrorAndPingAloneCarriesNoHeartbeats() {
            assertThat(errors(parse(BASE).diagnostics())).singleElement().satisfies(e -> {
                assertThat(e.line()).isZero();
                assertThat(e.message()).contains("No heartbeat media defined");
            });
            assertThat(errors(parse("ping 10.0.0.254\n" + BASE).diagnostics())).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("ping lines only watch ping nodes"));
        }

        @Test
        void rejectedMediaSayWhy() {
            assertThat(errors(parse("bcast eth0\nhbaping fc0\n" + BASE).diagnostics())).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("not supported by Vigil").contains("HBA API"));
        }
    }

    @Nested
    class Timing {
        @Test
        void deadtimeNotMoreThanTwiceKeepaliveIsAnErrorAtTheDeadtimeLine() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "keepalive 2\ndeadtime 4\n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
                assertThat(e.line()).isEqualTo(6);
                assertThat(e.message()).contains("Dead time [4000] is too small compared to keeplive [2000]");
            });
        }

        @Test
        void initdeadBelowDeadtimeIsAnErrorAndBelowTenSecondsAWarning() {
            assertThat(errors(parse("bcast eth0\n" + BASE + "deadtime 30\ninitdead 20\n").diagnostics()))
                    .singleElement().satisfies(e -> {
                        assertThat(e.line()).isEqualTo(6);
                        assertThat(e.message()).contains("Initial dead time [20000] is smaller than deadtime [30000]");
                    });
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "deadtime 3\ninitdead 8\n");
            assertThat(errors(r.diagnostics())).isEmpty();
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.message()).contains("may be too small"));
        }

        @Test
        void initdeadBelowTwiceDeadtimeIsWarnedAsTheStockHaCfAdvises() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "deadtime 30\ninitdead 40\n");
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.message()).contains("twice deadtime"));
            assertThat(parse("bcast eth0\n" + BASE + "deadtime 30\ninitdead 60\n").diagnostics().all()).isEmpty();
        }

        @Test
        void warntimeOutsideKeepaliveToDeadtimeIsWarned() {
            assertThat(warnings(parse("bcast eth0\n" + BASE + "deadtime 10\nwarntime 10\n").diagnostics()))
                    .singleElement().satisfies(w -> assertThat(w.message()).contains("not less than deadtime"));
            assertThat(warnings(parse("bcast eth0\n" + BASE + "keepalive 2\nwarntime 2\n").diagnostics()))
                    .singleElement().satisfies(w -> assertThat(w.message()).contains("not more than keepalive"));
        }

        @Test
        void deadpingNotMoreThanTwiceKeepaliveIsAnError() {
            assertThat(errors(parse("bcast eth0\nping 10.0.0.1\n" + BASE + "keepalive 2\ndeadping 3\n").diagnostics()))
                    .singleElement().satisfies(e -> assertThat(e.message()).contains("Ping dead time"));
        }
    }

    @Nested
    class Pacemaker {
        @Test
        void crmOnIsRejectedWithTheReasonAndTheWayOut() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "crm on\n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> {
                assertThat(e.line()).isEqualTo(5);
                assertThat(e.column()).isEqualTo(5);
                assertThat(e.message()).contains("Pacemaker").contains("v1 (haresources) mode");
                assertThat(e.hint()).contains("crm off");
            });
        }

        @Test
        void everyPacemakerValueIsRejectedAndOffValuesAreAccepted() {
            for (String v : List.of("yes", "respawn", "minimal", "manual", "ccm-only", "valgrind", "true", "1")) {
                assertThat(errors(parse("bcast eth0\n" + BASE + "crm " + v + "\n").diagnostics())).as(v).hasSize(1);
            }
            assertThat(errors(parse("bcast eth0\n" + BASE + "pacemaker on\n").diagnostics())).hasSize(1);
            for (String v : List.of("off", "no", "false", "n", "0", "OFF")) {
                assertThat(parse("bcast eth0\n" + BASE + "crm " + v + "\n").diagnostics().all()).as(v).isEmpty();
            }
        }

        @Test
        void aRefusedPacemakerConfigIsNotAlsoWarnedAboutLegacyFailback() {
            ParseResult<HaCf> r = parse("bcast eth0\nnode a\nnode b\ncrm respawn\n");
            assertThat(errors(r.diagnostics())).hasSize(1);
            assertThat(warnings(r.diagnostics())).isEmpty();
        }

        @Test
        void crmMayAppearOnlyOnceEvenWhenOff() {
            assertThat(errors(parse("bcast eth0\n" + BASE + "crm off\npacemaker off\n").diagnostics()))
                    .singleElement().satisfies(e -> assertThat(e.message()).contains("used multiple times"));
        }

        @Test
        void pacemakerOnlySettingsAreIgnoredWithAWarningAndMustPrecedeCrm() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "crm off\ncrm_daemon_dir /usr/lib/pacemaker\n");
            assertThat(errors(r.diagnostics())).singleElement().satisfies(e -> assertThat(e.message()).contains("must come before"));
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.message()).contains("Pacemaker only"));
        }
    }

    @Nested
    class OtherDirectives {
        @Test
        void autoFailbackTakesBooleansOrLegacy() {
            assertThat(parse("bcast eth0\nnode a\nnode b\nauto_failback yes\n").model().autoFailback().value()).isEqualTo(AutoFailback.ON);
            assertThat(parse("bcast eth0\nnode a\nnode b\nauto_failback off\n").model().autoFailback().value()).isEqualTo(AutoFailback.OFF);
            ParseResult<HaCf> legacy = parse("bcast eth0\nnode a\nnode b\nauto_failback legacy\n");
            assertThat(warnings(legacy.diagnostics())).singleElement().satisfies(w -> assertThat(w.line()).isEqualTo(4));
            assertThat(errors(parse("bcast eth0\nnode a\nnode b\nauto_failback maybe\n").diagnostics())).hasSize(1);
        }

        @Test
        void niceFailbackIsObsoleteAndBecomesLegacyOrOffAsHeartbeatConvertsIt() {
            ParseResult<HaCf> alone = parse("bcast eth0\nnode a\nnode b\nnice_failback on\n");
            assertThat(alone.model().autoFailback().value()).isEqualTo(AutoFailback.LEGACY);
            assertThat(warnings(alone.diagnostics())).anySatisfy(w -> assertThat(w.message()).contains("obsolete"));
            assertThat(parse("bcast eth0\n" + BASE + "nice_failback on\n").model().autoFailback().value()).isEqualTo(AutoFailback.OFF);
        }

        @Test
        void logfacilityMustBeASyslogNameWithASuggestion() {
            assertThat(parse("bcast eth0\n" + BASE + "logfacility local0\n").model().logFacility().value()).isEqualTo("local0");
            assertThat(errors(parse("bcast eth0\n" + BASE + "logfacility local10\n").diagnostics())).singleElement()
                    .satisfies(e -> assertThat(e.hint()).startsWith("did you mean 'local"));
        }

        @Test
        void noLogTargetWithUseLogdOffStopsHeartbeat() {
            assertThat(errors(parse("bcast eth0\n" + BASE + "use_logd no\n").diagnostics())).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("No log entry found"));
        }

        @Test
        void useLogdOnHasNoEffectInVigilAndIsWarned() {
            assertThat(warnings(parse("bcast eth0\n" + BASE + "use_logd yes\n").diagnostics())).singleElement()
                    .satisfies(w -> assertThat(w.message()).contains("ha_logd"));
        }

        @Test
        void respawnAndFailfastNeedAUserAndAFullPath() {
            HaCf cf = parse("bcast eth0\n" + BASE + "respawn hacluster /usr/lib/heartbeat/ipfail -v\nfailfast root /usr/sbin/mon\n").model();
            assertThat(cf.clientChildren()).containsExactly(
                    new HaCf.ClientChild("hacluster", "/usr/lib/heartbeat/ipfail -v", "/usr/lib/heartbeat/ipfail", false, cf.clientChildren().get(0).location()),
                    new HaCf.ClientChild("root", "/usr/sbin/mon", "/usr/sbin/mon", true, cf.clientChildren().get(1).location()));
            assertThat(errors(parse("bcast eth0\n" + BASE + "respawn hacluster ipfail\n").diagnostics())).singleElement()
                    .satisfies(e -> assertThat(e.column()).isEqualTo(19));
        }

        @Test
        void apiauthNeedsUidOrGidAndOneLinePerClient() {
            assertThat(errors(parse("bcast eth0\n" + BASE + "apiauth ipfail\n").diagnostics())).hasSize(1);
            assertThat(errors(parse("bcast eth0\n" + BASE + "apiauth ipfail user=root\n").diagnostics())).hasSize(1);
            assertThat(errors(parse("bcast eth0\n" + BASE + "apiauth dopd gid=haclient\napiauth dopd uid=root\n").diagnostics()))
                    .singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(6));
        }

        @Test
        void stonithHostParametersAreASecretAndAppearNowhere() {
            ParseResult<HaCf> r = parse("bcast eth0\n" + BASE + "stonith_host nodeA baytech 10.0.0.3 admin Sup3rSecretPw\nstonith_host ghost null x\n");
            HaCf.StonithHost sh = r.model().stonithHosts().get(0);
            assertThat(sh.host()).isEqualTo("nodea");
            assertThat(sh.parameters()).isEqualTo(new Secret("10.0.0.3 admin Sup3rSecretPw"));
            assertThat(sh.toString()).doesNotContain("Sup3rSecretPw");
            assertThat(r.model().directives().toString()).doesNotContain("Sup3rSecretPw");
            assertThat(r.diagnostics().all()).extracting(Diagnostic::format).noneMatch(s -> s.contains("Sup3rSecretPw"));
            assertThat(warnings(r.diagnostics())).singleElement().satisfies(w -> assertThat(w.message()).contains("'ghost'"));
        }

        @Test
        void watchdogMayAppearOnce() {
            assertThat(errors(parse("bcast eth0\n" + BASE + "watchdog /dev/watchdog\nwatchdog /dev/watchdog1\n").diagnostics()))
                    .singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(6));
        }

        @Test
        void envIsExportedWithTheHaPrefix() {
            HaCf cf = parse("bcast eth0\n" + BASE + "env PATHS=/opt/bin\n").model();
            assertThat(cf.environment()).singleElement().extracting(HaCf.EnvVar::exportedName).isEqualTo("HA_PATHS");
            assertThat(errors(parse("bcast eth0\n" + BASE + "env =x\n").diagnostics())).hasSize(1);
        }

        @Test
        void enumerationsAreCaseSensitiveWhereHeartbeatUsesStrcmp() {
            assertThat(parse("bcast eth0\n" + BASE + "msgfmt netstring\nuuidfrom nodename\nhbgenmethod time\n").model())
                    .satisfies(cf -> {
                        assertThat(cf.messageFormat().value()).isEqualTo(HaCf.MessageFormat.NETSTRING);
                        assertThat(cf.uuidFrom().value()).isEqualTo(HaCf.UuidSource.NODENAME);
                        assertThat(cf.generationMethod().value()).isEqualTo(HaCf.GenerationMethod.TIME);
                    });
            assertThat(errors(parse("bcast eth0\n" + BASE + "msgfmt Classic\n").diagnostics())).singleElement()
                    .satisfies(e -> assertThat(e.hint()).isEqualTo("did you mean 'classic'?"));
        }
    }

    @Nested
    class Files {
        @Test
        void aMissingFileIsAnErrorNamingIt() {
            ParseResult<HaCf> r = new HaCfParser().parse(dir.resolve("nope/ha.cf"));
            assertThat(r.diagnostics().all()).singleElement().satisfies(e -> {
                assertThat(e.severity()).isEqualTo(Severity.ERROR);
                assertThat(e.line()).isZero();
                assertThat(e.message()).contains("ha.cf").contains("no such file");
            });
            assertThat(r.model().nodes()).isEmpty();
        }

        @Test
        void aDirectoryIsAnErrorNotAnException() {
            assertThat(new HaCfParser().parse(dir).diagnostics().all()).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("is a directory"));
        }

        @Test
        void binaryGarbageIsOneErrorNotAnException() throws IOException {
            Path bin = dir.resolve("ha.cf");
            java.nio.file.Files.write(bin, new byte[]{'n', 'o', 'd', 'e', ' ', 0, (byte) 0xff, (byte) 0xfe, '\n'});
            assertThat(new HaCfParser().parse(bin).diagnostics().all()).singleElement().satisfies(e -> {
                assertThat(e.line()).isEqualTo(1);
                assertThat(e.message()).contains("binary");
            });
        }

        @Test
        void devicesAndFifosAreRefusedInsteadOfReadForever() throws Exception {
            assertThat(new HaCfParser().parse(Path.of("/dev/zero")).diagnostics().all()).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("not a regular file"));
            Path fifo = dir.resolve("fifo");
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
            assertThat(new AuthkeysParser().parse(fifo).diagnostics().all()).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("not a regular file"));
        }

        @Test
        void aHugeFileIsRefusedWithoutReadingItAll() throws IOException {
            Path big = dir.resolve("haresources");
            java.nio.file.Files.write(big, new byte[(int) ConfigText.MAX_BYTES + 1]);
            assertThat(new HaresourcesParser().parse(big).diagnostics().all()).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("far too large"));
        }

        @Test
        void invalidUtf8InCommentsIsHarmless() throws IOException {
            Path p = dir.resolve("ha.cf");
            java.nio.file.Files.write(p, "# caf\u00e9 in Latin-1: caf".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            java.nio.file.Files.writeString(p, "\nbcast eth0\n" + BASE, java.nio.file.StandardOpenOption.APPEND);
            assertThat(new HaCfParser().parse(p).diagnostics().all()).isEmpty();
        }
    }
}
