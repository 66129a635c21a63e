/*
 * agent_values.c: unit tests of the RouterOS value parsers
 * (agent/routeros/values.c): durations, booleans, integers, numbers.
 */
#include "tap.h"
#include "../../agent/routeros/values.h"

#include <stdint.h>

static int64_t
dur(const char *s)
{
    int64_t v = -42;

    return agent_ros_duration_us(s, &v) == 0 ? v : -1;
}

int
main(void)
{
    int64_t i;
    double  d;
    int     b;
    char    buf[64];

    ok(dur("1w2d3h4m5s") == ((9LL * 86400) + 3 * 3600 + 4 * 60 + 5) * 1000000,
       "1w2d3h4m5s is 9 days 3:04:05");
    ok(dur("453us") == 453, "453us is 453 microseconds");
    ok(dur("1ms500us") == 1500, "1ms500us is 1500 microseconds");
    ok(dur("5ms945us") == 5945, "5ms945us (ping RTT) is 5945 microseconds");
    ok(dur("1h12m40s") == 4360LL * 1000000, "1h12m40s is 4360 s");
    ok(dur("0s") == 0, "0s is zero");
    ok(dur("1500ns") == 1, "1500ns rounds down to 1 microsecond");
    ok(dur("1d02:03:04") == (86400LL + 7384) * 1000000,
       "v6 clock form 1d02:03:04");
    ok(dur("00:00:01.5") == 1500000, "clock form with a fraction");
    ok(dur("") == -1, "empty duration is refused");
    ok(dur("5x") == -1, "unknown unit is refused");
    ok(dur("m5") == -1, "unit without number is refused");
    ok(dur("1h60:00") == -1, "malformed clock part is refused");

    ok(agent_ros_bool("true", &b) == 0 && b == 1, "\"true\" is true");
    ok(agent_ros_bool("false", &b) == 0 && b == 0, "\"false\" is false");
    ok(agent_ros_bool("yes", &b) == 0 && b == 1, "\"yes\" is true");
    ok(agent_ros_bool("no", &b) == 0 && b == 0, "\"no\" is false");
    ok(agent_ros_bool("TRUE", &b) == -1, "\"TRUE\" is not a RouterOS bool");
    ok(agent_ros_bool(NULL, &b) == -1, "absent bool is refused");

    ok(agent_ros_int("1500", &i) == 0 && i == 1500, "\"1500\" is 1500");
    ok(agent_ros_int("0x8000", &i) == 0 && i == 32768, "\"0x8000\" is 32768");
    ok(agent_ros_int("-3", &i) == 0 && i == -3, "\"-3\" is -3");
    ok(agent_ros_int("1073741824", &i) == 0 && i == 1073741824LL,
       "memory sizes fit");
    ok(agent_ros_int("12abc", &i) == -1, "trailing garbage is refused");
    ok(agent_ros_int("", &i) == -1, "empty integer is refused");
    ok(agent_ros_int(" 1", &i) == -1, "leading blank is refused");

    ok(agent_ros_number("12.5", &d) == 0 && d == 12.5, "\"12.5\" is 12.5");
    ok(agent_ros_number("7", &d) == 0 && d == 7.0, "\"7\" is 7");
    ok(agent_ros_number("nan", &d) == -1, "\"nan\" is refused");
    ok(agent_ros_number("1e3", &d) == -1, "exponents are refused");

    agent_ros_format_duration(788645, buf, sizeof(buf));
    is_str(buf, "1w2d3h4m5s", "788645 s formats as 1w2d3h4m5s");
    agent_ros_format_duration(0, buf, sizeof(buf));
    is_str(buf, "0s", "zero formats as 0s");
    agent_ros_format_duration(3600, buf, sizeof(buf));
    is_str(buf, "1h", "3600 s formats as 1h");

    return done_testing();
}
