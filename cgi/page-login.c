/* The seller's login and logout. */

#include "config.h"

#include <string.h>

#include "feira.h"
#include "log.h"

/* Render the login form, with a message when error is not NULL. */
static void
page_login_form(struct request *r, int status, const char *error)
{
	struct tmpl_vars	*v = tmpl_vars_new();
	struct html		 body;

	html_init(&body);
	render_csrf(r, v);
	if (error != NULL)
		tmpl_set(v, "error", error);
	tmpl_render(app->tmpl[T_LOGIN], v, &body);
	tmpl_vars_free(v);
	render_page(r, status, _("Entrar"), &body);
}

/* GET /login: the form, or the seller's page when already logged in. */
void
page_login(struct request *r)
{
	if (r->seller)
		response_redirect(r, "/seller");
	else
		page_login_form(r, 200, NULL);
}

/* POST /login: check the seller's user and password. */
void
page_login_post(struct request *r)
{
	static const char *const	 fields[] = {
		"csrf", "user", "password", NULL
	};
	struct form			 f;
	const char			*user, *password;
	int				 ok;

	if (request_form(r, &f) == -1)
		return;
	user = form_get(&f, "user");
	password = form_get(&f, "password");
	ok = form_unknown(&f, fields) == NULL && user != NULL &&
	    password != NULL && strlen(password) < 256 &&
	    auth_equal(user, app->conf.seller_user) &&
	    auth_check_password(password, app->conf.seller_password);
	form_free(&f);
	if (!ok) {
		log_info("login: refused");
		page_login_form(r, 401, _("Usuário ou senha incorretos."));
		return;
	}
	session_login(r);
	response_redirect(r, "/seller");
}

/* POST /logout: end the seller's session. */
void
page_logout(struct request *r)
{
	struct form	f;

	if (request_form(r, &f) == -1)
		return;
	form_free(&f);
	session_logout(r);
	response_redirect(r, "/");
}
