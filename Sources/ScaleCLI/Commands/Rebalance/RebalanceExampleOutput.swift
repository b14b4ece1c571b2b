/// The exact output of the `rebalance` examples (they run as tests, and README.md pastes the
/// same text). The numbers were checked by hand against the demo inputs: adding broker 5 to
/// four brokers holding 9 of 36 replicas each gives a share of 7.2, so broker 5 needs 7 and the
/// plan's 7 moves meet that bound; the Redis lines match redis-cli 7.0's own output.
enum RebalanceExampleOutput {
    static let planAdd: String? = #"""
        BATCH  TOPIC     PARTITION  FROM  TO  BYTES
            1  orders            0     2   5      -
            1  orders            1     3   5      -
            1  orders            2     1   5      -
            1  orders            4     4   5      -
            1  orders            7     3   5      -
            2  payments          0     2   5      -
            2  payments          2     1   5      -

        PARTITIONS:                 12
        REPLICAS:                   36
        BROKERS BEFORE:             4
        BROKERS AFTER:              5
        REPLICA MOVES:              7
        LOWER BOUND MOVES:          7
        RACK LOWER BOUND MOVES:     -
        MOVES OVER BOUND:           0
        BYTES MOVED:                -
        LOWER BOUND BYTES:          -
        LEADER CHANGES:             2
        LOWER BOUND LEADER CHANGES: 2
        LEADERS MOVED:              2
        BATCHES:                    2
        MAX CONCURRENT:             5
        BUSIEST BROKER BYTES:       -
        THROTTLE BYTES PER SECOND:  -
        ESTIMATED DURATION:         -
        BALANCED:                   yes
        STATUS:                     OK
        note: the plan meets the lower bound of 7 moves: no plan moves fewer replicas (7 replicas must arrive at brokers below their share, 4 must leave brokers above it)
        note: apply: -o kafka-json > plan.json, then kafka-reassign-partitions.sh --execute --reassignment-json-file plan.json, then kafka-leader-election.sh --election-type preferred --all-topic-partitions

        """#

    static let planAddKafkaJSON: String? = #"""
        {"version":1,"partitions":[
        {"topic":"orders","partition":0,"replicas":[5,1,3],"log_dirs":["any","any","any"]},
        {"topic":"orders","partition":1,"replicas":[5,2,4],"log_dirs":["any","any","any"]},
        {"topic":"orders","partition":2,"replicas":[3,4,5],"log_dirs":["any","any","any"]},
        {"topic":"orders","partition":4,"replicas":[1,3,5],"log_dirs":["any","any","any"]},
        {"topic":"orders","partition":7,"replicas":[4,2,5],"log_dirs":["any","any","any"]},
        {"topic":"payments","partition":0,"replicas":[1,5,3],"log_dirs":["any","any","any"]},
        {"topic":"payments","partition":2,"replicas":[3,4,5],"log_dirs":["any","any","any"]}
        ]}

        """#

    static let planBrokers: String? = #"""
        BROKER  RACK  WEIGHT  TARGET  BEFORE  AFTER  LEADERS BEFORE  LEADERS AFTER  IN  OUT  BYTES BEFORE  BYTES AFTER  BYTES IN  BYTES OUT
             1  -       1.00    7.20       9      7               3              2   0    2      88.0 GiB     74.0 GiB       0 B   15.0 GiB
             2  -       1.00    7.20       9      7               3              3   0    2      92.0 GiB     66.0 GiB       0 B    2.0 GiB
             3  -       1.00    7.20       9      7               3              2   0    2      87.0 GiB     72.0 GiB       0 B   23.0 GiB
             4  -       1.00    7.20       9      8               3              3   0    1      93.0 GiB     91.0 GiB       0 B   17.0 GiB
             5  -       1.00    7.20       0      7               0              2   7    0           0 B     57.0 GiB  57.0 GiB        0 B

        PARTITIONS:                 12
        REPLICAS:                   36
        BROKERS BEFORE:             4
        BROKERS AFTER:              5
        REPLICA MOVES:              7
        LOWER BOUND MOVES:          7
        RACK LOWER BOUND MOVES:     -
        MOVES OVER BOUND:           0
        BYTES MOVED:                57.0 GiB
        LOWER BOUND BYTES:          -
        LEADER CHANGES:             1
        LOWER BOUND LEADER CHANGES: 1
        LEADERS MOVED:              2
        BATCHES:                    2
        MAX CONCURRENT:             5
        BUSIEST BROKER BYTES:       57.0 GiB
        THROTTLE BYTES PER SECOND:  50000000
        ESTIMATED DURATION:         20m 24s
        BALANCED:                   yes
        STATUS:                     OK
        note: the plan meets the lower bound of 7 moves: no plan moves fewer replicas (7 replicas must arrive at brokers below their share, 4 must leave brokers above it)
        note: apply: -o kafka-json > plan.json, then kafka-reassign-partitions.sh --execute --reassignment-json-file plan.json, then kafka-leader-election.sh --election-type preferred --all-topic-partitions

        """#

    static let check: String? = #"""
        BROKER  RACK  WEIGHT  REPLICAS  TARGET    SKEW  LEADERS  TARGET LEADERS  BYTES  STATUS
        1       -       1.00         9    7.20   25.0%        3            2.40      -  WARNING
        2       -       1.00         9    7.20   25.0%        3            2.40      -  WARNING
        3       -       1.00         9    7.20   25.0%        3            2.40      -  WARNING
        4       -       1.00         9    7.20   25.0%        3            2.40      -  WARNING
        5       -       1.00         0    7.20  100.0%        0            2.40      -  CRITICAL

        PARTITIONS:                  12
        REPLICAS:                    36
        BROKERS:                     5
        SKEW:                        100.0%
        LEADER SKEW:                 100.0%
        RACK VIOLATING PARTITIONS:   0
        RACK VIOLATION REPLICAS:     0
        UNDER REPLICATED PARTITIONS: 0
        REPLICAS OUTSIDE TARGETS:    0
        BALANCED:                    no
        STATUS:                      CRITICAL
        note: 'scalectl rebalance plan' gives the fewest moves that balance it

        """#

    static let slots: String? = #"""
        FROM             TO               SLOTS  RANGES
        127.0.0.1:21002  127.0.0.1:21004   1366  5461-6826
        127.0.0.1:21003  127.0.0.1:21004   1365  10923-12287
        127.0.0.1:21001  127.0.0.1:21004   1365  0-1364

        MASTERS:           4
        TOTAL WEIGHT:      4.00
        THRESHOLD PERCENT: 2.00
        REBALANCE NEEDED:  yes
        MOVES:             3
        SLOTS MOVED:       4096

        """#

    static let slotsRedisCli: String? = #"""
        >>> Rebalancing across 4 nodes. Total weight = 5.00
        Moving 2186 slots from 127.0.0.1:21002 to 127.0.0.1:21004
        Moving 2185 slots from 127.0.0.1:21003 to 127.0.0.1:21004
        Moving 2185 slots from 127.0.0.1:21001 to 127.0.0.1:21004

        """#

    static let slotsNodes: String? = #"""
        NODE  ID  WEIGHT  BEFORE  EXPECTED  BALANCE  AFTER
        a     -     1.00    5461      4096     1365   4096
        b     -     1.00    5462      4096     1366   4096
        c     -     1.00    5461      4096     1365   4096
        d     -     1.00       0      4096    -4096   4096

        MASTERS:           4
        TOTAL WEIGHT:      4.00
        THRESHOLD PERCENT: 2.00
        REBALANCE NEEDED:  yes
        MOVES:             3
        SLOTS MOVED:       4096

        """#
}
