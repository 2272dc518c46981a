/*
 * Lamport's mutual exclusion as Feira runs it over HTTP: a model for spin.
 *
 * Three marketplaces each make REQUESTS checkouts, one at a time, each over
 * a nonempty set of two products (bit 1 and bit 2).  Messages between two
 * marketplaces travel on one channel per kind, so a message of one kind
 * can overtake one of another kind, as on separate HTTP connections: an
 * acknowledgement can overtake a request (case A of the notes) and a
 * release can overtake its request (case B).  One marketplace may crash
 * once and restart (cases D and E).
 *
 * What the protocol does about it:
 *  A, E	an acknowledgement carries the acknowledger's own pending
 *		request, so the requester learns it no later than the ack
 *		(and a restarted marketplace, whose queue is empty, learns
 *		every earlier request from the acks it gets);
 *  B	a marketplace remembers the highest request id released by each
 *		peer and drops a request, or a pending request in an ack, that
 *		is not above it.  Since a marketplace makes one request at a
 *		time, a request with id n says that every id below n is over,
 *		and an ack says which is the acknowledger's last request and
 *		whether it is still pending: stale entries, left by a message
 *		that overtook another or by a restart that forgot releases,
 *		are cleared by the next message of their owner;
 *  C	handling a message twice changes nothing (ids are checked);
 *  D	a restart takes a new incarnation, which the restarted
 *		marketplace announces at once; a peer that sees a higher
 *		incarnation drops the entries of the older one, and ignores
 *		messages of an older one still in flight;
 *  F	requests are ordered by (timestamp, marketplace);
 *  G	a request waits only for earlier requests that share a product.
 * Clocks and request ids survive a restart, as peerd keeps them on disk.
 *
 * Checked: mutual exclusion (an assertion when a marketplace enters: no
 * other holds a product it wants) and no deadlock (when nothing can move,
 * every marketplace has made all its checkouts).
 */

#define N		3
#ifndef REQUESTS
#define REQUESTS	2
#endif
#define CAP		2

/*
 * -DWITHOUT_A takes the remedy of case A out (acks carry nothing), to
 * show that spin then finds two marketplaces holding one product.
 */

/* Channels from i to j are number i * N + j. */
chan reqch[N * N] = [CAP] of { byte, byte, byte, byte };	/* ts id prods inc */
chan ackch[N * N] = [CAP] of { byte, byte, byte, byte, byte, byte };
		/* ts acked-id inc; the acknowledger's last request: ts id prods,
		 * prods 0 when it is over */
chan relch[N * N] = [CAP] of { byte, byte, byte };	/* ts id inc (id 0: hello) */

byte	holding[N];		/* products each holds now */
byte	done[N];		/* checkouts each has finished */
bool	crashed;		/* one crash in the whole run */

inline tick_to(t)
{
	if
	:: t > clock -> clock = t
	:: else -> skip
	fi;
	clock++
}

/* Does request (ts1, i1) come before (ts2, i2)? */
#define BEFORE(ts1, i1, ts2, i2) ((ts1) < (ts2) || ((ts1) == (ts2) && (i1) < (i2)))

proctype market(byte me)
{
	byte	clock, inc, myid, j, k;
	byte	mine_ts, mine_id, mine_prods;	/* own pending request */
	byte	acks;				/* bits of peers that acked it */
	byte	q_ts[N], q_id[N], q_prods[N];	/* peers' pending requests */
	byte	released[N], known_inc[N];
	byte	ts, id, prods, pinc, rts, rid, rprods;
	bool	may_enter;

	do
	/* Start a checkout over a nonempty set of products. */
	:: mine_prods == 0 && holding[me] == 0 && done[me] < REQUESTS ->
		if
		:: mine_prods = 1
		:: mine_prods = 2
		:: mine_prods = 3
		fi;
		clock++;
		myid++;
		mine_ts = clock;
		mine_id = myid;
		acks = 0;
		for (j : 0 .. N - 1) {
			if
			:: j != me -> reqch[me * N + j] ! mine_ts, mine_id,
			    mine_prods, inc
			:: else -> skip
			fi
		}

	/* A request: queue it unless released or stale; acknowledge it. */
	:: atomic { nempty(reqch[0 * N + me]) || nempty(reqch[1 * N + me]) ||
	    nempty(reqch[2 * N + me]) ->
		if
		:: reqch[0 * N + me] ? ts, id, prods, pinc -> j = 0
		:: reqch[1 * N + me] ? ts, id, prods, pinc -> j = 1
		:: reqch[2 * N + me] ? ts, id, prods, pinc -> j = 2
		fi }
		tick_to(ts);
		if
		:: pinc < known_inc[j] -> skip
		:: else ->
			if
			:: pinc > known_inc[j] ->
				known_inc[j] = pinc;
				q_prods[j] = 0
			:: else -> skip
			fi;
			/* One request at a time: the earlier ones are over. */
			if
			:: id - 1 > released[j] -> released[j] = id - 1
			:: else -> skip
			fi;
			if
			:: q_prods[j] != 0 && q_id[j] <= released[j] ->
				q_prods[j] = 0
			:: else -> skip
			fi;
			if
			:: id > released[j] && (q_prods[j] == 0 ||
			    id >= q_id[j]) ->
				q_ts[j] = ts;
				q_id[j] = id;
				q_prods[j] = prods
			:: else -> skip
			fi;
			clock++;
#ifdef WITHOUT_A
			ackch[me * N + j] ! clock, id, inc, 0, 0, 0
#else
			ackch[me * N + j] ! clock, id, inc, mine_ts, myid,
			    mine_prods
#endif
		fi

	/* An ack: count it, and learn the acknowledger's own request. */
	:: atomic { nempty(ackch[0 * N + me]) || nempty(ackch[1 * N + me]) ||
	    nempty(ackch[2 * N + me]) ->
		if
		:: ackch[0 * N + me] ? ts, id, pinc, rts, rid, rprods -> j = 0
		:: ackch[1 * N + me] ? ts, id, pinc, rts, rid, rprods -> j = 1
		:: ackch[2 * N + me] ? ts, id, pinc, rts, rid, rprods -> j = 2
		fi }
		tick_to(ts);
		if
		:: pinc < known_inc[j] -> skip
		:: else ->
			if
			:: pinc > known_inc[j] ->
				known_inc[j] = pinc;
				q_prods[j] = 0
			:: else -> skip
			fi;
			/*
			 * rid is the acknowledger's last request: pending if
			 * rprods is set, over if not; every earlier one is over.
			 */
			if
			:: rprods == 0 && rid > released[j] -> released[j] = rid
			:: rprods != 0 && rid - 1 > released[j] ->
				released[j] = rid - 1
			:: else -> skip
			fi;
			if
			:: q_prods[j] != 0 && q_id[j] <= released[j] ->
				q_prods[j] = 0
			:: else -> skip
			fi;
			if
			:: rprods != 0 && rid > released[j] &&
			    (q_prods[j] == 0 || rid >= q_id[j]) ->
				q_ts[j] = rts;
				q_id[j] = rid;
				q_prods[j] = rprods
			:: else -> skip
			fi;
			if
			:: mine_prods != 0 && id == mine_id ->
				acks = acks | (1 << j)
			:: else -> skip
			fi
		fi

	/* A release (or a restart's hello, id 0): forget the request. */
	:: atomic { nempty(relch[0 * N + me]) || nempty(relch[1 * N + me]) ||
	    nempty(relch[2 * N + me]) ->
		if
		:: relch[0 * N + me] ? ts, id, pinc -> j = 0
		:: relch[1 * N + me] ? ts, id, pinc -> j = 1
		:: relch[2 * N + me] ? ts, id, pinc -> j = 2
		fi }
		tick_to(ts);
		if
		:: pinc < known_inc[j] -> skip
		:: else ->
			if
			:: pinc > known_inc[j] ->
				known_inc[j] = pinc;
				q_prods[j] = 0
			:: else -> skip
			fi;
			if
			:: id > released[j] -> released[j] = id
			:: else -> skip
			fi;
			if
			:: q_prods[j] != 0 && q_id[j] <= released[j] ->
				q_prods[j] = 0
			:: else -> skip
			fi
		fi

	/* Enter when every peer acked and no earlier request shares a product. */
	:: atomic { mine_prods != 0 && holding[me] == 0 &&
	    acks == (((1 << N) - 1) & ~(1 << me)) ->
		may_enter = true;
		for (k : 0 .. N - 1) {
			if
			:: k != me && (q_prods[k] & mine_prods) != 0 &&
			    BEFORE(q_ts[k], k, mine_ts, me) -> may_enter = false
			:: else -> skip
			fi
		}
		if
		:: may_enter ->
			for (k : 0 .. N - 1) {
				assert(k == me || (holding[k] & mine_prods) == 0)
			}
			holding[me] = mine_prods
		:: else -> skip
		fi }

	/* Leave: the checkout is done; release to everyone. */
	:: holding[me] != 0 ->
		holding[me] = 0;
		mine_prods = 0;
		done[me]++;
		clock++;
		for (j : 0 .. N - 1) {
			if
			:: j != me -> relch[me * N + j] ! clock, mine_id, inc
			:: else -> skip
			fi
		}

	/* Crash and restart: the queue is lost; clock, ids and incarnation
	 * are kept on disk; a pending or held checkout is abandoned. */
	:: !crashed && (mine_prods != 0 || holding[me] != 0) ->
		crashed = true;
		holding[me] = 0;
		if
		:: mine_prods != 0 -> done[me]++
		:: else -> skip
		fi;
		mine_prods = 0;
		acks = 0;
		for (k : 0 .. N - 1) {
			q_prods[k] = 0;
			released[k] = 0;
			known_inc[k] = 0
		}
		inc++;
		clock++;
		for (j : 0 .. N - 1) {
			if
			:: j != me -> relch[me * N + j] ! clock, 0, inc
			:: else -> skip
			fi
		}

	/* Nothing can move anywhere: everyone must be done. */
	:: timeout ->
		assert(done[0] == REQUESTS && done[1] == REQUESTS &&
		    done[2] == REQUESTS);
		break
	od
}

init
{
	atomic {
		run market(0);
		run market(1);
		run market(2)
	}
}
