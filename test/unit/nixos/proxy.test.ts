import { describe, expect, it } from 'vitest';
import { Reach, Secret, Tls } from '../../../src';
import { IrTemplate } from '../../../src/core/testing';
import { renderNginxConf } from '../../../src/emit/nginx/conf';
import { directiveText, nginxModel } from '../../../src/emit/nginx/model';
import { nginxNixOptions } from '../../../src/emit/nginx/nixos';
import { fixture, host, synth } from './helpers';

/** Issue 4 §2: proxies lower to a grant for their clients; nginx.conf and services.nginx come from one model. */
describe('NginxProxy', () => {
  it('grants its clients the host web ports when reached by host name and path', () => {
    const f = fixture();
    host(f).addProxy('Ollama', { upstreamPort: 11434, reach: Reach.path('/ollama/'), clients: [f.client] });
    new IrTemplate(synth(f).ir).hasGrant({
      source: { path: 'test/Web/WebClients' },
      comment: 'ollama proxy on web',
      src: ['tag:client'],
      dst: ['tag:server'],
      ip: ['tcp:80', 'tcp:443'],
    });
  });

  it('path proxies with the same clients share one grant naming them all; other clients get their own', () => {
    const f = fixture();
    const h = host(f);
    h.addProxy('Ollama', { upstreamPort: 11434, reach: Reach.path('/ollama/'), clients: [f.client] });
    h.addProxy('Llamacpp', { upstreamPort: 8080, reach: Reach.path('/llamacpp/'), clients: [f.client] });
    h.addProxy('Grafana', { upstreamPort: 3000, reach: Reach.path('/grafana/'), clients: [f.admin] });
    const grants = synth(f).ir.policy.grants.map((g) => [g.source.path, g.comment, g.src.join(' ')]);
    expect(grants).toEqual([
      ['test/Web/WebClients', 'llamacpp, ollama proxies on web', 'tag:client'],
      ['test/Web/WebClients2', 'grafana proxy on web', 'tag:admin'],
    ]);
  });

  it('grants its own port, plus UDP for HTTP/3, when reached by port', () => {
    const f = fixture();
    host(f).addProxy('Api', { upstreamPort: 3000, reach: Reach.port(8443), http3: true, clients: [f.client] });
    new IrTemplate(synth(f).ir).hasGrant({ ip: ['tcp:8443', 'udp:8443'] });
  });

  it('reached as a Tailscale Service: grant to svc:, service auto-approval, nginx on loopback, tailscale serve', () => {
    const f = fixture();
    host(f).addProxy('Llm', {
      upstreamPort: 8080,
      reach: Reach.service('llm', { localPort: 18080 }),
      clients: [f.client],
    });
    const { ir, files } = synth(f);
    const t = new IrTemplate(ir);
    t.hasGrant({ dst: ['svc:llm'], ip: ['tcp:80'] });
    t.has('autoApprovers', { kind: 'service', target: 'svc:llm', approvers: ['tag:server'] });
    const module = files.get('nixos/web/default.nix') ?? '';
    expect(module).toContain('endpoints."tcp:80" = "http://127.0.0.1:18080";');
    expect(files.get('nginx/web.conf')).toContain('listen 127.0.0.1:18080;');
  });

  it('rate limit: a zone in the http block, limit_req with one second of burst and status 429 in the location', () => {
    const f = fixture();
    host(f).addProxy('Ollama', {
      upstreamPort: 11434,
      reach: Reach.path('/ollama/'),
      rateLimit: '20r/s',
      maxBodySize: '500M',
    });
    const { files } = synth(f);
    const conf = files.get('nginx/web.conf') ?? '';
    expect(conf).toContain('limit_req_zone $binary_remote_addr zone=ollama:10m rate=20r/s;');
    expect(conf).toContain(
      'limit_req zone=ollama burst=20 nodelay;\n      limit_req_status 429;\n      client_max_body_size 500M;',
    );
    const module = files.get('nixos/web/default.nix') ?? '';
    expect(module).toContain(
      "commonHttpConfig = ''\n      limit_req_zone $binary_remote_addr zone=ollama:10m rate=20r/s;",
    );
  });

  it('puts exactly the same directives in nginx.conf and in the NixOS locations', () => {
    const f = fixture();
    const h = host(f);
    h.addProxy('A', {
      upstreamPort: 1001,
      reach: Reach.path('/a/'),
      rateLimit: { rate: '5r/m', burst: 0, status: 503 },
      timeout: '90s',
    });
    h.addProxy('B', {
      upstreamPort: 1002,
      reach: Reach.port(8002),
      maxBodySize: '1k',
      buffering: false,
      websockets: true,
    });
    const { ir } = synth(f);
    const model = nginxModel(ir.nixos.hosts[0], 'example.ts.net');
    const conf = renderNginxConf(model);
    const hosts = nginxNixOptions(model).virtualHosts as Record<string, unknown>;
    for (const server of model.servers) {
      for (const loc of server.locations) {
        for (const d of loc.directives) expect(conf).toContain(directiveText(d));
        const extra = JSON.stringify(hosts[server.key]);
        expect(extra).toContain(loc.directives.map(directiveText).join('\\n'));
      }
    }
    expect(conf).toContain('limit_req zone=a;\n      limit_req_status 503;');
    expect(conf).toContain('proxy_set_header Upgrade $http_upgrade;');
  });

  it('uses the Tailscale certificate for the host name: forceSSL, cert files, a renewal timer', () => {
    const f = fixture();
    host(f).addProxy('Ollama', { upstreamPort: 11434, reach: Reach.path('/ollama/') });
    const module = synth(f).files.get('nixos/web/default.nix') ?? '';
    expect(module).toContain('forceSSL = true;');
    expect(module).toContain('sslCertificate = "/var/lib/tailscale-cert/web.example.ts.net.crt";');
    expect(module).toContain('tailscale cert --cert-file /var/lib/tailscale-cert/web.example.ts.net.crt');
    expect(module).toContain('OnCalendar = "daily";');
  });

  it('ACME for a custom domain: enableACME, accepted terms, and the challenge location in nginx.conf', () => {
    const f = fixture();
    host(f).addProxy('Chat', {
      upstreamPort: 3000,
      reach: Reach.customDomain('chat.ai.example.com'),
      tls: Tls.acme({ email: 'ops@example.com' }),
    });
    const { files } = synth(f);
    const module = files.get('nixos/web/default.nix') ?? '';
    expect(module).toContain('enableACME = true;');
    expect(module).toContain('security.acme = {\n    acceptTerms = true;\n    defaults.email = "ops@example.com";');
    expect(files.get('nginx/web.conf')).toContain('location /.well-known/acme-challenge/ {');
  });

  it('reads a basic-auth file from sops-nix, readable by nginx, never a literal', () => {
    const f = fixture();
    host(f).addProxy('Ui', {
      upstreamPort: 3000,
      reach: Reach.port(8080),
      tls: Tls.none(),
      basicAuthFile: Secret.sops('ui-htpasswd'),
    });
    const { files } = synth(f);
    const module = files.get('nixos/web/default.nix') ?? '';
    expect(module).toContain('basicAuthFile = config.sops.secrets.ui-htpasswd.path;');
    expect(module).toContain('sops.secrets.ui-htpasswd.owner = "nginx";');
    expect(files.get('nginx/web.conf')).toContain('auth_basic_user_file /run/secrets/ui-htpasswd;');
  });

  it('HTTP/3: quic listeners, reuseport once per address and port, Alt-Svc advertised', () => {
    const f = fixture();
    const h = host(f);
    h.addProxy('A', { upstreamPort: 1001, reach: Reach.path('/a/'), http3: true });
    h.addProxy('B', { upstreamPort: 1002, reach: Reach.customDomain('b.example.com'), tls: Tls.acme(), http3: true });
    const conf = synth(f).files.get('nginx/web.conf') ?? '';
    expect(conf.match(/listen 443 quic reuseport;|listen \[::\]:443 quic reuseport;/g)).toHaveLength(2);
    expect(conf.match(/listen (\[::\]:)?443 quic;/g)).toHaveLength(2);
    expect(conf).toContain(`add_header Alt-Svc 'h3=":443"; ma=86400' always;`);
  });
});
