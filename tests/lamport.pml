/*
 * Lamport's mutual exclusion as peerd runs it over HTTP (peerd/peer-lock.c):
 * a model for spin.
 *
 * Three marketplaces each make REQUESTS checkouts, one at a time, each over
 * a nonempty set of two products (bit 1 and bit 2); a checkout may give up
 * while it lacks an acknowledgement, as peerd's does when a peer does not
 * answer in time.  (peerd's checkout also gives up when earlier requests
 * hold its products too long; the model leaves that out, so that a
 * request left in a queue for ever shows as a deadlock.)
 * Messages between two marketplaces travel on one channel per kind, so a
 * message of one kind can overtake one of another kind, as on separate
 * HTTP connections: an acknowledgement its request (case A of the notes),
 * a release its request (case B).  The first marketplace may crash once
 * and restart (cases D and E); the marketplaces are alike, so which one
 * does not matter.
 *
 * What the protocol does about it, as peerd does:
 *  A, E	an acknowledgement carries the acknowledger's own pending
 *		request, so the requester learns it no later than the ack (and
 *		a restarted marketplace, whose queue is empty, learns every
 *		earlier request from the acks it gets);
 *  B	every message carries its sender's floor: the timestamp of its
 *		pending request, or its clock when it has none.  Requests of the
 *		sender below the highest floor heard are over and dropped, also
 *		when they arrive late.  (peerd also keeps tombstones of releases
 *		above the floor, for a marketplace with several checkouts at
 *		once; with one at a time, as here, the floor of the release
 *		itself is above its request, and tombstones are never needed.)
 *  C	handling a message twice changes nothing;
 *  D	a restart takes a new incarnation, announced at once (a hello); a
 *		peer that hears a higher incarnation drops the older one's
 *		request, and ignores its messages still in flight;
 *  F	requests are ordered by (timestamp, marketplace);
 *  G	a request waits only for earlier requests that share a product.
 * Clocks and incarnations survive a restart, as peerd keeps them on disk.
 * Leases are not modelled: they only drop the requests of a marketplace
 * that never comes back, which this model's crash always does.
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
 * -DNO_GIVE_UP and -DNO_CRASH take give-ups and the crash out, and
 * -DONE_PRODUCT makes every checkout want the same product, for the
 * smaller searches that show what the remedies are for.
 */
#ifdef NO_GIVE_UP
#define GIVE_UP		false
#else
#define GIVE_UP		true
#endif
#ifdef NO_CRASH
#define CRASH		false
#else
#define CRASH		true
#endif

/*
 * -DWITHOUT_A takes the remedy of case A out (acks carry nothing), to
 * show that spin then finds two marketplaces holding one product;
 * -DWITHOUT_B takes the floors out, to show that a release that overtakes
 * its request then leaves the request in a queue for ever.
 */

/* Channels from i to j are number i * N + j. */
chan reqch[N * N] = [CAP] of { byte, byte, byte, byte };
		/* ts prods inc floor */
chan ackch[N * N] = [CAP] of { byte, byte, byte, byte, byte, byte };
		/* clock acked-ts inc floor, and the acknowledger's pending
		 * request: ts prods (prods 0: none) */
chan relch[N * N] = [CAP] of { byte, byte, byte, byte };
		/* clock released-ts inc floor; released-ts 0: a hello */

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

/* Our floor: our pending request's timestamp, or the clock. */
inline my_floor(f)
{
	if
	:: mine_prods != 0 -> f = mine_ts
	:: else -> f = clock
	fi
}

/*
 * What a message says of its sender j: its incarnation and floor.  ok is
 * false for a message of an older incarnation.
 */
inline hear(j, pinc, pfloor)
{
	if
	:: pinc < inc_of[j] -> ok = false
	:: else ->
		ok = true;
		if
		:: pinc > inc_of[j] ->
			inc_of[j] = pinc;
			q_prods[j] = 0;
			floor_of[j] = 0
		:: else -> skip
		fi;
#ifndef WITHOUT_B
		if
		:: pfloor > floor_of[j] -> floor_of[j] = pfloor
		:: else -> skip
		fi;
#endif
		if
		:: q_prods[j] != 0 && q_ts[j] < floor_of[j] -> q_prods[j] = 0
		:: else -> skip
		fi
	fi
}

/* Queue j's request (ts, prods) unless it is over. */
inline learn(j, ts, prods)
{
	if
	:: prods != 0 && ts >= floor_of[j] &&
	    (q_prods[j] == 0 || ts >= q_ts[j]) ->
		q_ts[j] = ts;
		q_prods[j] = prods
	:: else -> skip
	fi
}

/* Does request (ts1, i1) come before (ts2, i2)? */
#define BEFORE(ts1, i1, ts2, i2) ((ts1) < (ts2) || ((ts1) == (ts2) && (i1) < (i2)))

/* Does peer k's request keep ours out: earlier, and sharing a product? */
#define BLOCKS(k) ((k) != me && (q_prods[k] & mine_prods) != 0 && \
	BEFORE(q_ts[k], k, mine_ts, me))

proctype market(byte me)
{
	byte	clock, inc, j, k, f;
	byte	mine_ts, mine_prods;		/* own pending request */
	byte	acks;				/* bits of peers that acked it */
	byte	q_ts[N], q_prods[N];		/* peers' pending requests */
	byte	floor_of[N], inc_of[N];
	byte	a, b, c, d, e, g;
	bool	ok;

	do
	/* Start a checkout over a nonempty set of products. */
	:: mine_prods == 0 && holding[me] == 0 && done[me] < REQUESTS ->
#ifdef ONE_PRODUCT
		mine_prods = 1;
#else
		if
		:: mine_prods = 1
		:: mine_prods = 2
		:: mine_prods = 3
		fi;
#endif
		clock++;
		mine_ts = clock;
		acks = 0;
		for (j : 0 .. N - 1) {
			if
			:: j != me -> reqch[me * N + j] ! mine_ts, mine_prods,
			    inc, mine_ts
			:: else -> skip
			fi
		}

	/* A request (ts, prods, inc, floor): queue it, acknowledge it. */
	:: atomic { nempty(reqch[0 * N + me]) || nempty(reqch[1 * N + me]) ||
	    nempty(reqch[2 * N + me]) ->
		if
		:: reqch[0 * N + me] ? a, b, c, d -> j = 0
		:: reqch[1 * N + me] ? a, b, c, d -> j = 1
		:: reqch[2 * N + me] ? a, b, c, d -> j = 2
		fi }
		tick_to(a);
		hear(j, c, d);
		if
		:: ok -> learn(j, a, b)
		:: else -> skip
		fi;
		clock++;
		my_floor(f);
#ifdef WITHOUT_A
		ackch[me * N + j] ! clock, a, inc, f, 0, 0
#else
		ackch[me * N + j] ! clock, a, inc, f, mine_ts, mine_prods
#endif

	/* An ack: learn the acknowledger's pending request, count it. */
	:: atomic { nempty(ackch[0 * N + me]) || nempty(ackch[1 * N + me]) ||
	    nempty(ackch[2 * N + me]) ->
		if
		:: ackch[0 * N + me] ? a, b, c, d, e, g -> j = 0
		:: ackch[1 * N + me] ? a, b, c, d, e, g -> j = 1
		:: ackch[2 * N + me] ? a, b, c, d, e, g -> j = 2
		fi }
		tick_to(a);
		hear(j, c, d);
		if
		:: ok ->
			learn(j, e, g);
			if
			:: mine_prods != 0 && b == mine_ts ->
				acks = acks | (1 << j)
			:: else -> skip
			fi
		:: else -> skip
		fi

	/* A release, or a restart's hello (ts 0): forget the request. */
	:: atomic { nempty(relch[0 * N + me]) || nempty(relch[1 * N + me]) ||
	    nempty(relch[2 * N + me]) ->
		if
		:: relch[0 * N + me] ? a, b, c, d -> j = 0
		:: relch[1 * N + me] ? a, b, c, d -> j = 1
		:: relch[2 * N + me] ? a, b, c, d -> j = 2
		fi }
		tick_to(a);
		hear(j, c, d);
		if
		:: ok && b != 0 && q_prods[j] != 0 && q_ts[j] == b ->
			q_prods[j] = 0
		:: else -> skip
		fi

	/*
	 * Enter when every peer acked and no earlier request shares a
	 * product.  The guard is the whole condition, so that a request that
	 * cannot enter blocks, and a request left behind for ever shows as
	 * a deadlock.
	 */
	:: atomic { mine_prods != 0 && holding[me] == 0 &&
	    acks == (((1 << N) - 1) & ~(1 << me)) &&
	    !BLOCKS(0) && !BLOCKS(1) && !BLOCKS(2) ->
		for (k : 0 .. N - 1) {
			assert(k == me || (holding[k] & mine_prods) == 0)
		}
		holding[me] = mine_prods }

	/*
	 * Leave: the checkout is done, or gives up while it lacks an
	 * acknowledgement; release to everyone.
	 */
	:: holding[me] != 0 || (mine_prods != 0 && GIVE_UP &&
	    acks != (((1 << N) - 1) & ~(1 << me))) ->
		holding[me] = 0;
		b = mine_ts;
		mine_prods = 0;
		done[me]++;
		clock++;
		my_floor(f);
		for (j : 0 .. N - 1) {
			if
			:: j != me -> relch[me * N + j] ! clock, b, inc, f
			:: else -> skip
			fi
		}

	/* Crash and restart: the queue is lost; clock and incarnation are
	 * kept on disk; a pending or held checkout is abandoned. */
	:: CRASH && me == 0 && !crashed &&
	    (mine_prods != 0 || holding[me] != 0) ->
		crashed = true;
		holding[me] = 0;
		done[me]++;
		mine_prods = 0;
		acks = 0;
		for (k : 0 .. N - 1) {
			q_prods[k] = 0;
			floor_of[k] = 0;
			inc_of[k] = 0
		}
		inc++;
		clock++;
		for (j : 0 .. N - 1) {
			if
			:: j != me -> relch[me * N + j] ! clock, 0, inc, clock
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
