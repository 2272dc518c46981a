/*
 * Unit tests of lib/store.c on a Berkeley DB environment in a fresh folder
 * under /tmp: products are numbered and kept, stock changes by deltas and
 * never goes below zero, a checkout's reservation takes every line or
 * none, a decision is made once, and buyers in several processes never
 * sell more than there is.
 */

#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <db.h>

#include "fail.h"
#include "order.h"
#include "product.h"
#include "store.h"
#include "valid.h"
#include "tap.h"

/* The race: this many processes each try to buy one unit this often. */
#define BUYERS		8
#define BUYER_TRIES	5
#define RACE_STOCK	10

/* What one buying process saw, sent to the parent through a pipe. */
struct buyer_report {
	int	bought;		/* orders that went through */
	int	refused;	/* 409: not enough stock */
	int	failed;		/* anything else */
};

/* Remove one entry of the folder being deleted. */
static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return (remove(path));
}

/* Fill in a registration with the given name, price and stocks. */
static void
make_input(struct product_input *in, const char *name, int64_t price,
    const int *stock)
{
	int	i;

	product_input_init(in);
	snprintf(in->name, sizeof in->name, "%s", name);
	snprintf(in->team, sizeof in->team, "S\xc3\xa3o Paulo");
	snprintf(in->description, sizeof in->description, "Tricolor");
	in->price_cents = price;
	for (i = 0; i < SIZE__MAX; i++)
		in->stock[i] = stock[i];
}

/* Count the products visited. */
static int
count_product(const struct product *p, void *arg)
{
	int	*n = arg;

	(*n)++;
	return (0);
}

/* Count the orders visited and add up their totals. */
static int
count_order(const struct order *o, void *arg)
{
	int64_t	*sums = arg;

	sums[0]++;
	sums[1] += o->total_cents;
	return (0);
}

/* Count one order, then ask the walk to stop. */
static int
stop_order(const struct order *o, void *arg)
{
	int	*n = arg;

	(*n)++;
	return (1);
}

/* The stock of size of product id, or -1 if it cannot be read. */
static int
stock_of(struct store *st, const char *id, int size)
{
	struct product	p;

	if (store_product_get(st, id, &p) != STORE_OK)
		return (-1);
	return (p.stock[size]);
}

/* Products are numbered in order, kept as given, and found again. */
static void
test_create(struct store *st)
{
	static const int	 stock1[SIZE__MAX] = { 1, 2, 3, 4, 5 };
	static const int	 stock2[SIZE__MAX] = { 10, 10, 10, 10, 10 };
	struct product_input	 in;
	struct product		 p, got;
	struct fail		 f;

	make_input(&in, "Camisa S\xc3\xa3o Paulo I", 24990, stock1);
	fail_clear(&f);
	is_int(store_product_create(st, &in, &p, &f), 0,
	    "the first product is created");
	is_str(p.id, "rio-1", "the first product is rio-1");
	is_str(p.marketplace, "rio", "its marketplace is rio");
	is_str(p.name, "Camisa S\xc3\xa3o Paulo I", "its name is kept");
	is_str(p.team, "S\xc3\xa3o Paulo", "its team is kept");
	is_str(p.description, "Tricolor", "its description is kept");
	is_int(p.price_cents, 24990, "its price is 24990");
	ok(p.stock[SIZE_P] == 1 && p.stock[SIZE_M] == 2 &&
	    p.stock[SIZE_G] == 3 && p.stock[SIZE_GG] == 4 &&
	    p.stock[SIZE_XG] == 5, "its stock is 1, 2, 3, 4, 5");
	ok(strcmp(p.colors[0], "#ffffff") == 0 &&
	    strcmp(p.colors[1], "#1b5e20") == 0, "its colors are kept");
	is_int(p.change, 1, "the first product is the store's change 1");

	make_input(&in, "Camisa Bahia", 15000, stock2);
	is_int(store_product_create(st, &in, &p, &f), 0,
	    "the second product is created");
	is_str(p.id, "rio-2", "the second product is rio-2");

	memset(&got, 0, sizeof got);
	is_int(store_product_get(st, "rio-1", &got), STORE_OK,
	    "store_product_get finds rio-1");
	is_str(got.name, "Camisa S\xc3\xa3o Paulo I", "rio-1 is read back "
	    "with its name");
	ok(got.price_cents == 24990 && got.stock[SIZE_XG] == 5,
	    "rio-1 is read back with its price and stock");
	is_int(store_product_get(st, "rio-99", &got), STORE_NOTFOUND,
	    "store_product_get of rio-99 is STORE_NOTFOUND");
}

/* Count the products a walk visits. */
static int
count_cb(const struct product *p, void *arg)
{
	(void)p;
	(*(int *)arg)++;
	return (0);
}

/* Stock changes by deltas; going below zero is refused. */
static void
test_update(struct store *st)
{
	struct product_patch	patch;
	struct product		p;
	struct fail		f;

	memset(&patch, 0, sizeof patch);
	patch.has_delta[SIZE_P] = 1;
	patch.delta[SIZE_P] = 5;
	patch.has_delta[SIZE_M] = 1;
	patch.delta[SIZE_M] = -2;
	patch.has_price = 1;
	patch.price_cents = 19990;
	fail_clear(&f);
	is_int(store_product_update(st, "rio-1", &patch, &p, &f), 0,
	    "deltas of +5 and -2 and a new price are applied");
	ok(p.stock[SIZE_P] == 6 && p.stock[SIZE_M] == 0,
	    "P goes from 1 to 6 and M from 2 to 0");
	ok(p.stock[SIZE_G] == 3 && p.stock[SIZE_GG] == 4 &&
	    p.stock[SIZE_XG] == 5, "sizes without a delta keep their stock");
	is_int(p.price_cents, 19990, "the price is now 19990");
	is_int(p.change, 3, "after two registrations the change is numbered 3");
	{
		uint64_t	high = 0;
		int		n = 0;

		is_int(store_change_high(st, &high), 0, "the last change "
		    "number can be read");
		is_int(high, 3, "the last change number is 3");
		store_changes_each(st, 2, count_cb, &n);
		is_int(n, 1, "only rio-1 changed after change 2");
		n = 0;
		store_changes_each(st, 0, count_cb, &n);
		is_int(n, 2, "both products changed after change 0");
	}
	ok(stock_of(st, "rio-1", SIZE_P) == 6 &&
	    stock_of(st, "rio-1", SIZE_M) == 0, "the change is stored");

	memset(&patch, 0, sizeof patch);
	patch.has_delta[SIZE_P] = 1;
	patch.delta[SIZE_P] = 1;
	patch.has_delta[SIZE_M] = 1;
	patch.delta[SIZE_M] = -1;
	fail_clear(&f);
	is_int(store_product_update(st, "rio-1", &patch, &p, &f), -1,
	    "a delta below zero is refused");
	is_int(f.status, 409, "a delta below zero is refused with 409");
	is_str(f.product, "rio-1", "the refusal names product rio-1");
	is_int(f.size, SIZE_M, "the refusal names size M");
	is_int(f.available, 0, "the refusal says 0 are available");
	is_str(f.field, "stock_delta", "the refusal blames stock_delta");
	ok(stock_of(st, "rio-1", SIZE_M) == 0 &&
	    stock_of(st, "rio-1", SIZE_P) == 6,
	    "a refused change leaves every stock as it was, even P's +1");

	memset(&patch, 0, sizeof patch);
	patch.has_price = 1;
	patch.price_cents = 100;
	fail_clear(&f);
	ok(store_product_update(st, "rio-99", &patch, &p, &f) == -1 &&
	    f.status == 404, "changing rio-99 is refused with 404");
}

/* Fill in line i of an order request. */
static void
set_line(struct order_input *in, unsigned int i, const char *product,
    int size, int64_t quantity)
{
	snprintf(in->lines[i].product, sizeof in->lines[i].product, "%s",
	    product);
	in->lines[i].size = size;
	in->lines[i].quantity = quantity;
	if (in->nlines < i + 1)
		in->nlines = i + 1;
}

/*
 * Buy in as peerd buys a cart of this marketplace's own products, with the
 * store's parts of two-phase commit: the outcome of its key if it has
 * one; else a reservation, a decision to commit with the order, and the
 * sale made final; a refusal is kept as the key's outcome.  Returns 0
 * with the order in *o, or -1 with f; *replayed tells a replay.
 */
static int
checkout(struct store *st, const struct order_input *in, struct order *o,
    struct fail *f, int *replayed)
{
	struct reservation	*r, *got;
	struct decision		 want, d;
	unsigned int		 i;
	int			 rc;

	*replayed = 0;
	rc = store_checkout_replay(st, in, o, f);
	if (rc == STORE_OK || rc == STORE_FAILED) {
		*replayed = 1;
		return (rc == STORE_OK ? 0 : -1);
	}
	r = calloc(1, sizeof *r);
	got = calloc(1, sizeof *got);
	store_order_id(st, r->txid, sizeof r->txid);
	strcpy(r->coordinator, "rio");
	strcpy(r->fence_market, "rio");
	r->fence_ts = 1;
	for (i = 0; i < in->nlines; i++) {
		snprintf(r->items[i].product, sizeof r->items[i].product, "%s",
		    in->lines[i].product);
		r->items[i].size = in->lines[i].size;
		r->items[i].quantity = (int32_t)in->lines[i].quantity;
	}
	r->nitems = in->nlines;
	rc = -1;
	if (store_reserve(st, r, got, f) == -1) {
		store_checkout_refused(st, in, f);
		goto out;
	}
	memset(o, 0, sizeof *o);
	o->format = ORDER_FORMAT;
	strcpy(o->id, r->txid);
	strcpy(o->status, "confirmed");
	o->created = 1700000000;
	o->nitems = in->nlines;
	for (i = 0; i < in->nlines; i++) {
		unsigned int	j;

		for (j = 0; j < got->nitems; j++)
			if (strcmp(got->items[j].product,
			    in->lines[i].product) == 0 &&
			    got->items[j].size == in->lines[i].size)
				o->items[i] = got->items[j];
		o->total_cents += o->items[i].price_cents *
		    o->items[i].quantity;
	}
	memset(&want, 0, sizeof want);
	want.state = DECISION_COMMIT;
	want.nowners = 1;
	strcpy(want.owners[0], "rio");
	if (store_decide(st, r->txid, &want, o, in, -1, &d, f) == 0 &&
	    d.state == DECISION_COMMIT &&
	    store_finish(st, r->txid, 1, got, f) == 0 &&
	    store_decision_done(st, r->txid, 1, f) == 0)
		rc = 0;
out:
	free(r);
	free(got);
	return (rc);
}

/*
 * Orders take exactly what they buy, or nothing.  Stocks before: rio-1 P 6,
 * M 0, G 3, GG 4, XG 5 at 19990; rio-2 10 of each at 15000.  Returns the
 * number of orders made.
 */
static int
test_order(struct store *st)
{
	struct order_input	 in;
	struct order		*o, *got;
	struct fail		 f;
	int			 made = 0, flags;

	o = calloc(1, sizeof *o);
	got = calloc(1, sizeof *got);
	if (o == NULL || got == NULL) {
		printf("Bail out! out of memory\n");
		exit(1);
	}

	/* Two lines: 2 of rio-1 G and 3 of rio-2 P. */
	memset(&in, 0, sizeof in);
	set_line(&in, 0, "rio-1", SIZE_G, 2);
	set_line(&in, 1, "rio-2", SIZE_P, 3);
	fail_clear(&f);
	is_int(checkout(st, &in, o, &f, &flags), 0,
	    "an order of two lines in stock is bought");
	made++;
	is_int(stock_of(st, "rio-1", SIZE_G), 1, "rio-1 G goes from 3 to 1");
	is_int(stock_of(st, "rio-2", SIZE_P), 7, "rio-2 P goes from 10 to 7");
	ok(stock_of(st, "rio-1", SIZE_GG) == 4 &&
	    stock_of(st, "rio-2", SIZE_M) == 10,
	    "sizes not bought keep their stock");
	is_int(o->total_cents, 2 * 19990 + 3 * 15000,
	    "total_cents is 2 * 19990 + 3 * 15000 = 84980");
	is_str(o->status, "confirmed", "the order is \"confirmed\"");
	ok(valid_order_id(o->id) && strncmp(o->id, "rio-", 4) == 0,
	    "the order id \"%s\" is a valid rio order id", o->id);
	is_int(o->nitems, 2, "the order has two items");
	ok(strcmp(o->items[0].product, "rio-1") == 0 &&
	    o->items[0].size == SIZE_G && o->items[0].quantity == 2 &&
	    o->items[0].price_cents == 19990,
	    "item 0 is 2 of rio-1 G at 19990");
	ok(strcmp(o->items[1].product, "rio-2") == 0 &&
	    o->items[1].size == SIZE_P && o->items[1].quantity == 3 &&
	    o->items[1].price_cents == 15000,
	    "item 1 is 3 of rio-2 P at 15000");
	ok(strcmp(o->items[1].name, "Camisa Bahia") == 0 &&
	    strcmp(o->items[1].marketplace, "rio") == 0,
	    "an item keeps the product's name and marketplace");
	ok(o->created > 1600000000, "the order has a creation time");

	is_int(store_order_get(st, o->id, got), STORE_OK,
	    "store_order_get finds the order");
	ok(strcmp(got->id, o->id) == 0 && got->total_cents == 84980 &&
	    got->nitems == 2 && got->items[1].quantity == 3 &&
	    strcmp(got->status, "confirmed") == 0,
	    "the stored order has the same id, total and items");
	is_int(store_order_get(st, "rio-0000000000000000", got),
	    STORE_NOTFOUND, "an unknown order id is STORE_NOTFOUND");

	/* The second line lacks stock: nothing at all is taken. */
	memset(&in, 0, sizeof in);
	set_line(&in, 0, "rio-2", SIZE_M, 1);
	set_line(&in, 1, "rio-1", SIZE_G, 5);
	fail_clear(&f);
	is_int(checkout(st, &in, o, &f, &flags), -1,
	    "an order whose second line lacks stock is refused");
	is_int(f.status, 409, "the refusal is a 409");
	is_str(f.product, "rio-1", "the refusal names rio-1");
	is_int(f.size, SIZE_G, "the refusal names size G");
	is_int(f.available, 1, "the refusal says 1 is available");
	is_int(stock_of(st, "rio-2", SIZE_M), 10,
	    "the first line's stock (rio-2 M) is not taken");
	is_int(stock_of(st, "rio-1", SIZE_G), 1, "rio-1 G stays at 1");

	/* An unknown product: a 400 blaming its line. */
	memset(&in, 0, sizeof in);
	set_line(&in, 0, "rio-1", SIZE_P, 1);
	set_line(&in, 1, "rio-77", SIZE_P, 1);
	fail_clear(&f);
	is_int(checkout(st, &in, o, &f, &flags), -1,
	    "an order of an unknown product is refused");
	is_int(f.status, 404, "an unknown product is refused with 404");
	is_str(f.field, "product", "the refusal blames the product");
	is_int(stock_of(st, "rio-1", SIZE_P), 6, "rio-1 P stays at 6");

	/* One product in two sizes: both lines are taken. */
	memset(&in, 0, sizeof in);
	set_line(&in, 0, "rio-2", SIZE_GG, 4);
	set_line(&in, 1, "rio-1", SIZE_XG, 5);
	set_line(&in, 2, "rio-2", SIZE_XG, 6);
	fail_clear(&f);
	is_int(checkout(st, &in, o, &f, &flags), 0,
	    "an order of one product in two sizes is bought");
	made++;
	ok(stock_of(st, "rio-2", SIZE_GG) == 6 &&
	    stock_of(st, "rio-2", SIZE_XG) == 4 &&
	    stock_of(st, "rio-1", SIZE_XG) == 0,
	    "rio-2 GG goes to 6, rio-2 XG to 4 and rio-1 XG to 0");
	is_int(o->total_cents, 4 * 15000 + 5 * 19990 + 6 * 15000,
	    "total_cents is 4 * 15000 + 5 * 19990 + 6 * 15000");

	free(o);
	free(got);
	return (made);
}

/* Walking products and orders visits each once. */
static void
test_each(struct store *st, int orders)
{
	int64_t	sums[2] = { 0, 0 };
	int	n = 0;

	is_int(store_products_each(st, count_product, &n), 0,
	    "store_products_each walks the products");
	is_int(n, 2, "store_products_each visits 2 products");
	is_int(store_orders_each(st, count_order, sums), 0,
	    "store_orders_each walks the orders");
	is_int(sums[0], orders, "store_orders_each visits the %d orders "
	    "made", orders);
	is_int(sums[1], 84980 + 4 * 15000 + 5 * 19990 + 6 * 15000,
	    "the totals of the orders visited add up");
	n = 0;
	is_int(store_orders_each(st, stop_order, &n), 0,
	    "a walk stopped by its callback still succeeds");
	is_int(n, 1, "a callback returning non-zero stops the walk");
}

/*
 * In a child: open the store, wait at the gate until every buyer is
 * ready, try to buy, report to fd, exit.
 */
static void
buyer(const char *dir, const char *id, int gate, int fd)
{
	struct buyer_report	 r = { 0, 0, 0 };
	struct order_input	 in;
	struct order		*o;
	struct store		*st;
	struct fail		 f;
	char			 c;
	int			 i, flags;

	o = calloc(1, sizeof *o);
	if (o == NULL || (st = store_open(dir, "rio", 16, 0)) == NULL) {
		r.failed = BUYER_TRIES;
		free(o);
		if (write(fd, &r, sizeof r) != sizeof r)
			_exit(2);
		_exit(1);
	}
	memset(&in, 0, sizeof in);
	set_line(&in, 0, id, SIZE_G, 1);
	while (read(gate, &c, 1) == -1)
		continue;
	close(gate);
	for (i = 0; i < BUYER_TRIES; i++) {
		fail_clear(&f);
		if (checkout(st, &in, o, &f, &flags) == 0)
			r.bought++;
		else if (f.status == 409)
			r.refused++;
		else
			r.failed++;
	}
	store_close(st);
	free(o);
	if (write(fd, &r, sizeof r) != sizeof r)
		exit(2);
	close(fd);
	exit(0);
}

/*
 * BUYERS processes each try to buy one unit BUYER_TRIES times of a size
 * with RACE_STOCK in stock.  The parent's store is closed around the
 * fork, as Berkeley DB handles must not cross one.  Returns the reopened
 * store, or NULL.
 */
static struct store *
test_race(struct store *st, const char *dir, int orders)
{
	static const int	stock[SIZE__MAX] = { 0, 0, RACE_STOCK, 0, 0 };
	struct buyer_report	r, sum = { 0, 0, 0 };
	struct product_input	in;
	struct product		p;
	struct fail		f;
	pid_t			pid;
	int			fds[2], gate[2], i, status, exits_ok = 1;
	int64_t			sums[2] = { 0, 0 };

	make_input(&in, "Camisa da corrida", 1000, stock);
	fail_clear(&f);
	is_int(store_product_create(st, &in, &p, &f), 0,
	    "the product to race for is created");
	is_str(p.id, "rio-3", "the product to race for is rio-3");
	store_close(st);

	/* The buyers start together when the gate's write end closes. */
	if (pipe(fds) == -1 || pipe(gate) == -1) {
		printf("Bail out! pipe failed\n");
		exit(1);
	}
	fflush(stdout);
	for (i = 0; i < BUYERS; i++) {
		if ((pid = fork()) == -1) {
			printf("Bail out! fork failed\n");
			exit(1);
		}
		if (pid == 0) {
			close(fds[0]);
			close(gate[1]);
			buyer(dir, "rio-3", gate[0], fds[1]);
		}
	}
	close(fds[1]);
	close(gate[0]);
	close(gate[1]);
	for (i = 0; i < BUYERS; i++) {
		if (read(fds[0], &r, sizeof r) != sizeof r) {
			sum.failed++;
			continue;
		}
		sum.bought += r.bought;
		sum.refused += r.refused;
		sum.failed += r.failed;
	}
	close(fds[0]);
	for (i = 0; i < BUYERS; i++)
		if (wait(&status) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			exits_ok = 0;

	ok(exits_ok, "all %d buyers exit with status 0", BUYERS);
	is_int(sum.failed, 0, "no purchase fails for another reason than "
	    "stock");
	is_int(sum.bought, RACE_STOCK, "exactly %d of %d purchases succeed",
	    RACE_STOCK, BUYERS * BUYER_TRIES);
	is_int(sum.refused, BUYERS * BUYER_TRIES - RACE_STOCK,
	    "the other %d are refused with 409",
	    BUYERS * BUYER_TRIES - RACE_STOCK);

	if ((st = store_open(dir, "rio", 16, 0)) == NULL)
		return (NULL);
	is_int(stock_of(st, "rio-3", SIZE_G), 0, "the final stock is 0");
	store_orders_each(st, count_order, sums);
	is_int(sums[0], orders + RACE_STOCK, "exactly %d orders were stored "
	    "by the buyers", RACE_STOCK);
	return (st);
}

/*
 * Change the stock of product id behind the store's back, with Berkeley
 * DB itself, as a bug or a broken disk might.  The store must be closed.
 */
static int
tamper(const char *dir, const char *id)
{
	DB_ENV		*env;
	DB		*db;
	DBT		 k, d;
	struct product	 p;
	int		 rc;

	if (db_env_create(&env, 0) != 0)
		return (-1);
	rc = env->open(env, dir, DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG |
	    DB_INIT_MPOOL, 0600);
	if (rc == 0)
		rc = db_create(&db, env, 0);
	if (rc == 0)
		rc = db->open(db, NULL, "products.db", NULL, DB_BTREE,
		    DB_AUTO_COMMIT, 0600);
	if (rc == 0) {
		memset(&k, 0, sizeof k);
		memset(&d, 0, sizeof d);
		k.data = (void *)id;
		k.size = (uint32_t)strlen(id);
		d.data = &p;
		d.ulen = sizeof p;
		d.flags = DB_DBT_USERMEM;
		rc = db->get(db, NULL, &k, &d, 0);
		if (rc == 0) {
			p.stock[SIZE_M] += 1;
			d.size = sizeof p;
			rc = db->put(db, NULL, &k, &d, 0);
		}
		db->close(db, 0);
	}
	env->close(env, 0);
	return (rc == 0 ? 0 : -1);
}

/* Register product name with m shirts of size M and g of size G. */
static void
new_product(struct store *st, const char *name, int64_t price, int32_t m,
    int32_t g, struct product *p)
{
	struct product_input	pi;
	struct fail		f;

	product_input_init(&pi);
	snprintf(pi.name, sizeof pi.name, "%s", name);
	snprintf(pi.team, sizeof pi.team, "Teste");
	pi.price_cents = price;
	pi.stock[SIZE_M] = m;
	pi.stock[SIZE_G] = g;
	fail_clear(&f);
	is_int(store_product_create(st, &pi, p, &f), 0, "%s is registered",
	    name);
}

/* Fill a reservation of one product in two sizes under a lock. */
static void
make_reservation(struct reservation *r, const char *txid, uint64_t ts,
    const char *market, const char *product, int32_t m, int32_t g)
{
	memset(r, 0, sizeof *r);
	snprintf(r->txid, sizeof r->txid, "%s", txid);
	snprintf(r->coordinator, sizeof r->coordinator, "%s", market);
	r->fence_ts = ts;
	snprintf(r->fence_market, sizeof r->fence_market, "%s", market);
	snprintf(r->items[0].product, sizeof r->items[0].product, "%s",
	    product);
	r->items[0].size = SIZE_M;
	r->items[0].quantity = m;
	r->nitems = 1;
	if (g > 0) {
		r->items[1] = r->items[0];
		r->items[1].size = SIZE_G;
		r->items[1].quantity = g;
		r->nitems = 2;
	}
}

/* What a walk of an index of pending records saw. */
struct pending {
	int	n;
	char	last[TXID_MAX + 1];
};

/* Count a reservation of the index and remember its id. */
static int
count_pending_reservation(const struct reservation *r, void *arg)
{
	struct pending	*pe = arg;

	snprintf(pe->last, sizeof pe->last, "%s", r->txid);
	pe->n++;
	return (0);
}

/* The number of prepared reservations that the index holds. */
static int
pending_reservations(struct store *st, char *last)
{
	struct pending	pe;

	memset(&pe, 0, sizeof pe);
	if (store_pending_reservations_each(st, count_pending_reservation,
	    &pe) == -1)
		return (-1);
	if (last != NULL)
		strcpy(last, pe.last);
	return (pe.n);
}

/* The number of committed reservations that the index of sales holds. */
static int
sold_reservations(struct store *st, char *last)
{
	struct pending	pe;

	memset(&pe, 0, sizeof pe);
	if (store_sold_each(st, count_pending_reservation, &pe) == -1)
		return (-1);
	if (last != NULL)
		strcpy(last, pe.last);
	return (pe.n);
}

/*
 * Two-phase commit at an owner: a reservation takes the stock in one
 * transaction or fails whole, is answered the same when asked again,
 * refuses a stale lock, and is made final or given back exactly once.
 */
static void
test_reserve(struct store *st)
{
	struct product		 p;
	struct reservation	*want, *got;
	struct fail		 f;
	size_t			 products;
	char			 last[TXID_MAX + 1];
	int			 sold;
	FILE			*out = fopen("/dev/null", "w");

	want = calloc(1, sizeof *want);
	got = calloc(1, sizeof *got);
	new_product(st, "Camisa Reservada", 900, 5, 2, &p);
	sold = sold_reservations(st, NULL);

	make_reservation(want, "sampa-tx1", 10, "sampa", p.id, 2, 1);
	is_int(pending_reservations(st, NULL), 0,
	    "no reservation is pending before the first");
	is_int(store_reserve(st, want, got, &f), 0, "a reservation is made");
	is_int(got->state, RESERVATION_PREPARED, "it is prepared");
	is_int(pending_reservations(st, last), 1,
	    "the index of pending reservations holds it");
	is_str(last, "sampa-tx1", "under its checkout");
	is_int(got->items[0].price_cents, 900, "it keeps the price of now");
	ok(stock_of(st, p.id, SIZE_M) == 3 && stock_of(st, p.id, SIZE_G) == 1,
	    "it takes the stock of both sizes");
	fail_clear(&f);
	is_int(store_reserve(st, want, got, &f), 0, "asked again, it answers");
	ok(got->state == RESERVATION_PREPARED &&
	    stock_of(st, p.id, SIZE_M) == 3, "asked again, it takes nothing");

	make_reservation(want, "rio-tx2", 9, "rio", p.id, 1, 0);
	fail_clear(&f);
	is_int(store_reserve(st, want, got, &f), -1,
	    "a reservation under an older lock is refused");
	is_str(f.field, "fence", "the refusal blames the fence");
	is_int(stock_of(st, p.id, SIZE_M), 3, "a stale lock takes nothing");

	make_reservation(want, "recife-tx3", 11, "recife", p.id, 10, 0);
	fail_clear(&f);
	is_int(store_reserve(st, want, got, &f), -1,
	    "a reservation beyond the stock is refused");
	ok(f.status == 409 && f.available == 3 && f.size == SIZE_M,
	    "the refusal tells the size and what is left");
	is_int(stock_of(st, p.id, SIZE_M), 3, "a refused reservation takes "
	    "nothing");

	fail_clear(&f);
	is_int(store_finish(st, "sampa-tx1", 1, got, &f), 0,
	    "the reservation is committed");
	is_int(got->state, RESERVATION_COMMITTED, "it is committed");
	is_int(pending_reservations(st, NULL), 0,
	    "a committed reservation leaves the index");
	is_int(sold_reservations(st, last), sold + 1,
	    "and is a sale");
	is_str(last, "sampa-tx1", "which names it");
	is_int(store_finish(st, "sampa-tx1", 1, got, &f), 0,
	    "a second commit is the same commit");
	fail_clear(&f);
	is_int(store_finish(st, "sampa-tx1", 0, got, &f), -1,
	    "an abort after the commit is refused");
	ok(stock_of(st, p.id, SIZE_M) == 3 && stock_of(st, p.id, SIZE_G) == 1,
	    "a commit keeps the stock taken");

	make_reservation(want, "rio-tx4", 12, "rio", p.id, 1, 0);
	fail_clear(&f);
	is_int(store_reserve(st, want, got, &f), 0,
	    "a reservation under a later lock is made");
	is_int(stock_of(st, p.id, SIZE_M), 2, "it takes its stock");
	is_int(pending_reservations(st, last), 1,
	    "the index holds the new reservation");
	is_str(last, "rio-tx4", "and only it");
	is_int(store_finish(st, "rio-tx4", 0, got, &f), 0, "it is aborted");
	is_int(pending_reservations(st, NULL), 0,
	    "an aborted reservation leaves the index");
	is_int(stock_of(st, p.id, SIZE_M), 3, "the abort gives the stock back");
	is_int(store_finish(st, "rio-tx4", 0, got, &f), 0,
	    "a second abort is the same abort");
	is_int(stock_of(st, p.id, SIZE_M), 3, "and gives nothing back twice");
	is_int(sold_reservations(st, NULL), sold + 1,
	    "an aborted reservation is no sale");

	fail_clear(&f);
	is_int(store_finish(st, "rio-tx5", 0, got, &f), 0,
	    "an abort may come before its prepare");
	make_reservation(want, "rio-tx5", 13, "rio", p.id, 1, 0);
	is_int(store_reserve(st, want, got, &f), 0,
	    "the late prepare is answered");
	ok(got->state == RESERVATION_ABORTED &&
	    stock_of(st, p.id, SIZE_M) == 3,
	    "the late prepare finds it aborted and takes nothing");
	fail_clear(&f);
	is_int(store_finish(st, "rio-tx6", 1, got, &f), -1,
	    "a commit of nothing is refused");

	make_reservation(want, "rio-tx7", 14, "rio", "rio-999", 1, 0);
	fail_clear(&f);
	is_int(store_reserve(st, want, got, &f), -1,
	    "a reservation of an unknown product is refused");
	is_int(f.status, 404, "an unknown product is 404");

	is_int(store_audit(st, out, &products), 0,
	    "the audit accounts for reservations, committed or given back");
	fclose(out);
	free(want);
	free(got);
}

/* The audit finds nothing wrong in a sound store, and a tampered stock. */
static struct store *
test_audit(struct store *st, const char *dir)
{
	size_t	products = 0;
	FILE	*out = fopen("/dev/null", "w");

	is_int(store_audit(st, out, &products), 0,
	    "the audit of a sound store finds no violation");
	ok(products >= 3, "the audit reads every product");
	store_close(st);
	is_int(tamper(dir, "rio-1"), 0, "a stock can be changed behind the "
	    "store's back");
	if ((st = store_open(dir, "rio", 16, 0)) == NULL)
		return (NULL);
	is_int(store_audit(st, out, &products), 2,
	    "the audit finds the stock that neither the ledger nor the "
	    "sales explain");
	fclose(out);
	return (st);
}

/*
 * An order under an Idempotency-Key is bought once: a second try gets the
 * first outcome, a success or a failure, and the same key with another
 * request is refused.
 */
static void
test_idempotency(struct store *st)
{
	struct order_input	 in;
	struct product		 p;
	struct product_patch	 patch;
	struct order		*o, *again;
	struct fail		 f;
	char			 first[ORDER_ID_MAX + 1];
	int			 flags, i;

	o = calloc(1, sizeof *o);
	again = calloc(1, sizeof *again);
	new_product(st, "Camisa Idempotente", 500, 3, 0, &p);

	memset(&in, 0, sizeof in);
	in.nlines = 1;
	strcpy(in.lines[0].product, p.id);
	in.lines[0].size = SIZE_M;
	in.lines[0].quantity = 2;
	strcpy(in.idem_key, "key-1");
	memset(in.idem_digest, 7, sizeof in.idem_digest);
	is_int(checkout(st, &in, o, &f, &flags), 0,
	    "an order under a new key is bought");
	is_int(flags, 0, "the first try is not a replay");
	strcpy(first, o->id);
	for (i = 0; i < 2; i++) {
		fail_clear(&f);
		is_int(checkout(st, &in, again, &f, &flags), 0,
		    "the same key again answers with success");
		is_int(flags, 1, "the second try is a replay");
		is_str(again->id, first, "the second try gets the first order");
	}
	is_int(stock_of(st, p.id, SIZE_M), 1, "the key bought only once");

	in.idem_digest[0] = 8;
	fail_clear(&f);
	is_int(checkout(st, &in, again, &f, &flags), -1,
	    "the key with another request is refused");
	is_int(f.status, 422, "reusing a key for another request is 422");
	in.idem_digest[0] = 7;

	strcpy(in.idem_key, "key-2");
	in.lines[0].quantity = 5;
	fail_clear(&f);
	is_int(checkout(st, &in, o, &f, &flags), -1,
	    "an order lacking stock under a new key fails");
	is_int(f.status, 409, "the failure is a 409");
	memset(&patch, 0, sizeof patch);
	patch.has_delta[SIZE_M] = 1;
	patch.delta[SIZE_M] = 10;
	store_product_update(st, p.id, &patch, &p, &f);
	fail_clear(&f);
	is_int(checkout(st, &in, o, &f, &flags), -1,
	    "the same key fails again though stock came back");
	ok(f.status == 409 && f.available == 1 && flags == 1,
	    "the second try gets the first 409, with what was left then");
	is_int(stock_of(st, p.id, SIZE_M), 11, "the failed key bought nothing");
	free(o);
	free(again);
}

/*
 * The gallery keeps another marketplace's product only when its change is
 * newer than the one held; peers' states are kept.
 */
static void
test_remote(struct store *st)
{
	struct product		p, got;
	struct peer_state	ps, back;
	struct fail		f;
	int			applied = -1, n = 0;

	memset(&p, 0, sizeof p);
	p.format = PRODUCT_FORMAT;
	p.change = 5;
	p.price_cents = 1000;
	p.stock[SIZE_M] = 3;
	strcpy(p.id, "sampa-7");
	strcpy(p.marketplace, "sampa");
	strcpy(p.name, "Camisa Santos");
	strcpy(p.team, "Santos");
	strcpy(p.colors[0], "#ffffff");
	strcpy(p.colors[1], "#000000");
	fail_clear(&f);
	is_int(store_remote_apply(st, &p, &applied, &f), 0,
	    "a peer's product is written to the gallery");
	is_int(applied, 1, "a product the gallery lacks is applied");
	is_int(store_remote_apply(st, &p, &applied, &f), 0,
	    "the same change again is no error");
	is_int(applied, 0, "the same change is not applied twice");
	p.change = 4;
	p.stock[SIZE_M] = 99;
	store_remote_apply(st, &p, &applied, &f);
	is_int(applied, 0, "an older change is not applied over a newer one");
	p.change = 6;
	p.stock[SIZE_M] = 1;
	store_remote_apply(st, &p, &applied, &f);
	is_int(applied, 1, "a newer change is applied");
	is_int(store_remote_get(st, "sampa-7", &got), STORE_OK,
	    "the gallery finds sampa-7");
	is_int(got.stock[SIZE_M], 1, "the gallery holds the newest stock");
	is_int(store_remote_get(st, "sampa-8", &got), STORE_NOTFOUND,
	    "the gallery does not find sampa-8");
	store_remote_each(st, count_cb, &n);
	is_int(n, 1, "the gallery walk visits one product");
	is_int(store_product_get(st, "sampa-7", &got), STORE_NOTFOUND,
	    "a peer's product is not among this marketplace's own");

	is_int(store_peer_get(st, "sampa", &back), STORE_NOTFOUND,
	    "a peer never recorded is not found");
	memset(&ps, 0, sizeof ps);
	ps.answering = 1;
	ps.last_heard = 1700000000;
	ps.held = 42;
	is_int(store_peer_put(st, "sampa", &ps), 0, "a peer's state is kept");
	is_int(store_peer_get(st, "sampa", &back), STORE_OK,
	    "a peer's state is read back");
	ok(back.answering == 1 && back.last_heard == 1700000000 &&
	    back.held == 42, "the peer's state is read back as written");
}

/* Count the decisions that some owner has not confirmed. */
static int
count_open_decision(const char *txid, const struct decision *d, void *arg)
{
	int	*n = arg;

	(void)txid;
	if (d->done != (1u << d->nowners) - 1)
		(*n)++;
	return (0);
}

/* Count the decisions of the index and remember the last one's id. */
static int
count_pending_decision(const char *txid, const struct decision *d,
    void *arg)
{
	struct pending	*pe = arg;

	(void)d;
	snprintf(pe->last, sizeof pe->last, "%s", txid);
	pe->n++;
	return (0);
}

/*
 * The coordinator's decisions: made once, the first one standing; a
 * question about a checkout never decided writes an abort that no commit
 * can follow; owners told are remembered.
 */
static void
test_decide(struct store *st)
{
	struct decision	 want, got;
	struct order	*o = calloc(1, sizeof *o);
	struct order	*back = calloc(1, sizeof *back);
	struct fail	 f;
	struct pending	 pe;
	int		 n = 0;

	memset(&want, 0, sizeof want);
	want.state = DECISION_COMMIT;
	want.nowners = 2;
	strcpy(want.owners[0], "rio");
	strcpy(want.owners[1], "sampa");
	o->format = ORDER_FORMAT;
	strcpy(o->id, "rio-00000000000000d1");
	strcpy(o->status, "confirmed");
	o->nitems = 1;
	strcpy(o->items[0].product, "sampa-1");
	strcpy(o->items[0].marketplace, "sampa");
	strcpy(o->items[0].name, "Camisa Decidida");
	o->items[0].quantity = 2;
	o->items[0].price_cents = 100;
	o->total_cents = 200;
	fail_clear(&f);
	is_int(store_decide(st, o->id, &want, o, NULL, -1, &got, &f), 0,
	    "a commit is decided");
	is_int(got.state, DECISION_COMMIT, "the decision that stands is it");
	is_int(store_order_get(st, o->id, back), STORE_OK,
	    "the commit wrote its order");
	is_int(back->total_cents, 200, "the order is the one decided");
	want.state = DECISION_ABORT;
	is_int(store_decide(st, o->id, &want, NULL, NULL, -1, &got,
	    &f), 0,
	    "a second decision is answered");
	is_int(got.state, DECISION_COMMIT, "but the first one stands");
	is_int(store_decision_ask(st, o->id, &got, &f), 0,
	    "an owner's question is answered");
	is_int(got.state, DECISION_COMMIT, "with the decision made");

	is_int(store_decision_ask(st, "rio-00000000000000d2", &got, &f), 0,
	    "a question about a checkout never decided is answered");
	is_int(got.state, DECISION_ABORT, "with an abort");
	want.state = DECISION_COMMIT;
	strcpy(o->id, "rio-00000000000000d2");
	is_int(store_decide(st, o->id, &want, o, NULL, -1, &got, &f), 0,
	    "a commit after that question is answered");
	is_int(got.state, DECISION_ABORT, "but the abort stands");
	is_int(store_order_get(st, o->id, back), STORE_NOTFOUND,
	    "and no order was written");

	store_decisions_each(st, count_open_decision, &n);
	is_int(n, 1, "the commit waits for its owners; the abort has none");
	memset(&pe, 0, sizeof pe);
	store_pending_decisions_each(st, count_pending_decision, &pe);
	ok(pe.n == 1 && strcmp(pe.last, "rio-00000000000000d1") == 0,
	    "the index of pending decisions holds the commit alone");
	is_int(store_decision_done(st, "rio-00000000000000d1", 1, &f), 0,
	    "an owner told is noted");
	is_int(store_decision_get(st, "rio-00000000000000d1", &got), STORE_OK,
	    "the decision is read back");
	is_int(got.done, 1, "with the owner told");
	memset(&pe, 0, sizeof pe);
	store_pending_decisions_each(st, count_pending_decision, &pe);
	is_int(pe.n, 1, "a decision some owner lacks stays in the index");
	store_decision_done(st, "rio-00000000000000d1", 2, &f);
	n = 0;
	store_decisions_each(st, count_open_decision, &n);
	is_int(n, 0, "a decision every owner has is no longer open");
	memset(&pe, 0, sizeof pe);
	store_pending_decisions_each(st, count_pending_decision, &pe);
	is_int(pe.n, 0, "and it leaves the index");
	is_int(store_decision_get(st, "rio-00000000000000d9", &got),
	    STORE_NOTFOUND, "an unknown checkout has no decision");
	free(o);
	free(back);
}

/*
 * The coordinator's own reservation is made final, or given back, in the
 * transaction of its decision, which then counts it as told.
 */
static void
test_decide_here(struct store *st)
{
	struct product		 p;
	struct reservation	*want = calloc(1, sizeof *want);
	struct reservation	*got = calloc(1, sizeof *got);
	struct order		*o = calloc(1, sizeof *o);
	struct decision		 d, out;
	struct fail		 f;
	struct pending		 pe;

	new_product(st, "Camisa da Casa", 500, 4, 0, &p);
	memset(&d, 0, sizeof d);
	d.nowners = 2;
	strcpy(d.owners[0], "sampa");
	strcpy(d.owners[1], "rio");

	make_reservation(want, "rio-00000000000000f1", 50, "rio", p.id, 1, 0);
	is_int(store_reserve_here(st, want, got, &f), 0,
	    "the coordinator reserves its own item");
	is_int(stock_of(st, p.id, SIZE_M), 3, "which takes its stock");
	o->format = ORDER_FORMAT;
	strcpy(o->id, want->txid);
	strcpy(o->status, "confirmed");
	o->nitems = 1;
	o->items[0] = got->items[0];
	o->total_cents = 500;
	d.state = DECISION_COMMIT;
	is_int(store_decide(st, want->txid, &d, o, NULL, 1, &out, &f), 0,
	    "its commit is decided");
	is_int(out.done, 2, "and counts this marketplace as told");
	is_int(store_finish(st, want->txid, 0, got, &f), -1,
	    "the reservation was made final with it: an abort is refused");
	is_int(stock_of(st, p.id, SIZE_M), 3, "the sale keeps its stock");
	memset(&pe, 0, sizeof pe);
	store_pending_decisions_each(st, count_pending_decision, &pe);
	is_str(pe.last, want->txid, "the decision waits for the other owner");

	make_reservation(want, "rio-00000000000000f2", 51, "rio", p.id, 2, 0);
	fail_clear(&f);
	store_reserve_here(st, want, got, &f);
	is_int(stock_of(st, p.id, SIZE_M), 1, "a second reservation takes 2");
	d.state = DECISION_ABORT;
	is_int(store_decide(st, want->txid, &d, NULL, NULL, 1, &out, &f), 0,
	    "its abort is decided");
	is_int(out.done, 2, "and counts this marketplace as told");
	is_int(stock_of(st, p.id, SIZE_M), 3, "the abort gave the stock back");

	d.state = DECISION_COMMIT;
	strcpy(o->id, "rio-00000000000000f3");
	is_int(store_decide(st, o->id, &d, o, NULL, 1, &out, &f), 0,
	    "a commit whose own reservation is missing is decided");
	is_int(f.status, 0, "and the refusal to finish it is not the caller's");
	is_int(out.done, 0, "and leaves this marketplace to be told");
	free(want);
	free(got);
	free(o);
}

/* Reservations of the store that test_build makes, one in three each. */
#define BUILD_RESERVATIONS	1203

/* The pending decisions and the indexed records of the store, in n[3]. */
static void
index_counts(struct store *st, int n[3])
{
	struct pending	pe;

	n[0] = pending_reservations(st, NULL);
	n[1] = sold_reservations(st, NULL);
	memset(&pe, 0, sizeof pe);
	if (store_pending_decisions_each(st, count_pending_decision,
	    &pe) == -1)
		pe.n = -1;
	n[2] = pe.n;
}

/* Open the store in dir as its writer, and count its indexes in n. */
static void
reopen_counts(const char *dir, int n[3])
{
	struct store	*st;

	n[0] = n[1] = n[2] = -1;
	if ((st = store_open(dir, "rio", 16, STORE_THREADS)) == NULL)
		return;
	index_counts(st, n);
	store_close(st);
}

/*
 * Make the store in dir look as a build before some indexes left it:
 * remove the files of the n indexes named, and set meta.db's "indexed"
 * to indexed.  Returns 0, or -1.
 */
static int
unindex(const char *dir, const char *const *files, int n, uint64_t indexed)
{
	DB_ENV	*env;
	DB	*meta;
	DBT	 k, d;
	int	 i, rc;

	if (db_env_create(&env, 0) != 0)
		return (-1);
	rc = env->open(env, dir, DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK |
	    DB_INIT_LOG | DB_INIT_MPOOL | DB_REGISTER | DB_RECOVER, 0600);
	for (i = 0; rc == 0 && i < n; i++)
		rc = env->dbremove(env, NULL, files[i], NULL, DB_AUTO_COMMIT);
	if (rc == 0 && (rc = db_create(&meta, env, 0)) == 0) {
		if ((rc = meta->open(meta, NULL, "meta.db", NULL, DB_BTREE,
		    DB_AUTO_COMMIT, 0)) == 0) {
			memset(&k, 0, sizeof k);
			memset(&d, 0, sizeof d);
			k.data = "indexed";
			k.size = (uint32_t)strlen("indexed");
			d.data = &indexed;
			d.size = sizeof indexed;
			rc = meta->put(meta, NULL, &k, &d, DB_AUTO_COMMIT);
		}
		meta->close(meta, 0);
	}
	env->close(env, 0);
	return (rc == 0 ? 0 : -1);
}

/*
 * A store made before its indexes gets them built when its writer opens
 * it, in steps, each record once, however often the build runs.
 */
static void
test_build(void)
{
	static const char *const	 all[] = { "reservations-pending.db",
	    "decisions-pending.db", "reservations-sold.db" };
	char				 dir[] = "/tmp/feira-build.XXXXXX";
	char				 txid[TXID_MAX + 1];
	struct store			*st;
	struct product			 p;
	struct reservation		*want, *got;
	struct decision			 d, dgot;
	struct fail			 f;
	uint64_t			 indexed;
	int				 i, bad = 0, n[3];

	if (mkdtemp(dir) == NULL) {
		ok(0, "a folder for the store to index");
		return;
	}
	want = calloc(1, sizeof *want);
	got = calloc(1, sizeof *got);
	st = store_open(dir, "rio", 16, STORE_THREADS);
	ok(st != NULL, "the writer opens a new store");
	if (st == NULL)
		goto out;
	new_product(st, "Camisa Indexada", 900, 100000, 0, &p);
	for (i = 0; i < BUILD_RESERVATIONS; i++) {
		snprintf(txid, sizeof txid, "sampa-b%04d", i);
		make_reservation(want, txid, (uint64_t)i + 1, "sampa", p.id, 1,
		    0);
		fail_clear(&f);
		if (store_reserve(st, want, got, &f) != 0 ||
		    (i % 3 != 0 && store_finish(st, txid, i % 3 == 1, got,
		    &f) != 0))
			bad++;
	}
	is_int(bad, 0, "%d reservations are made, and two in three "
	    "finished", BUILD_RESERVATIONS);
	memset(&d, 0, sizeof d);
	d.state = DECISION_ABORT;
	d.nowners = 1;
	strcpy(d.owners[0], "sampa");
	for (i = 0; i < 3; i++) {
		snprintf(txid, sizeof txid, "rio-%016x", i + 1);
		fail_clear(&f);
		if (store_decide(st, txid, &d, NULL, NULL, -1, &dgot, &f) != 0)
			bad++;
	}
	if (store_decision_done(st, "rio-0000000000000001", 1, &f) != 0)
		bad++;
	is_int(bad, 0, "three decisions are made, and one told");
	index_counts(st, n);
	ok(n[0] == 401 && n[1] == 401 && n[2] == 2, "the indexes hold 401 "
	    "prepared, 401 sold and 2 decisions (%d, %d, %d)", n[0], n[1],
	    n[2]);
	store_close(st);

	is_int(unindex(dir, all, 3, 0), 0,
	    "the store is made as one from before the indexes");
	st = store_open(dir, "rio", 16, 0);
	ok(st != NULL, "a reader opens it");
	if (st == NULL)
		goto out;
	is_int(sold_reservations(st, NULL), 401,
	    "before the build, the reader finds the sales in the reservations");
	store_close(st);
	st = store_open(dir, "rio", 16, STORE_THREADS);
	ok(st != NULL, "the writer opens it, and builds its indexes");
	if (st == NULL)
		goto out;
	index_counts(st, n);
	ok(n[0] == 401 && n[1] == 401 && n[2] == 2, "the built indexes "
	    "hold the same (%d, %d, %d)", n[0], n[1], n[2]);
	ok(store_counter(st, "indexed", &indexed) == 0 && indexed == 2,
	    "meta.db notes both builds");
	fail_clear(&f);
	ok(store_finish(st, "sampa-b0000", 1, got, &f) == 0 &&
	    store_finish(st, "sampa-b0003", 0, got, &f) == 0,
	    "a prepared reservation is committed, and another given back");
	index_counts(st, n);
	ok(n[0] == 399 && n[1] == 402 && n[2] == 2, "Berkeley DB keeps the "
	    "built indexes (%d, %d, %d)", n[0], n[1], n[2]);
	store_close(st);

	is_int(unindex(dir, all + 2, 1, 1), 0,
	    "the store is made as one from before the index of sales");
	reopen_counts(dir, n);
	ok(n[0] == 399 && n[1] == 402 && n[2] == 2, "the index of sales is "
	    "built, and the others kept (%d, %d, %d)", n[0], n[1], n[2]);

	is_int(unindex(dir, all, 0, 0), 0,
	    "the store is marked unindexed, its indexes left in place");
	reopen_counts(dir, n);
	ok(n[0] == 399 && n[1] == 402 && n[2] == 2, "a build over full "
	    "indexes holds each record once (%d, %d, %d)", n[0], n[1], n[2]);
out:
	free(want);
	free(got);
	ok(nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS) == 0,
	    "the store's folder is removed");
}

/* Open a store in a temporary folder, run the tests, remove it all. */
int
main(void)
{
	char		 dir[] = "/tmp/feira-store.XXXXXX";
	struct store	*st;
	int		 orders;

	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp failed\n");
		return (1);
	}
	if ((st = store_open(dir, "rio", 16, 0)) == NULL) {
		printf("Bail out! store_open %s failed\n", dir);
		nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
		return (1);
	}
	ok(st != NULL, "store_open opens a new store in an empty folder");
	test_create(st);
	test_update(st);
	orders = test_order(st);
	test_each(st, orders);
	test_remote(st);
	st = test_race(st, dir, orders);
	ok(st != NULL, "the store opens again after the buyers");
	if (st != NULL)
		test_idempotency(st);
	if (st != NULL)
		test_reserve(st);
	if (st != NULL)
		test_decide(st);
	if (st != NULL)
		test_decide_here(st);
	if (st != NULL)
		st = test_audit(st, dir);
	store_close(st);
	test_build();
	ok(nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS) == 0,
	    "the temporary folder is removed");
	return tap_done();
}
